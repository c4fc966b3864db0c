"""Getting results out of a store, in the formats other tools read.

- :mod:`claimgraph.exporters.tabular`: flat CSV (one value per cell) and JSON Lines
  for every listing, shared by the command line and the web API;
- :mod:`claimgraph.exporters.claimreview`: schema.org ``ClaimReview`` JSON-LD for
  contested claims, as fact-checking tools and search engines read it;
- :mod:`claimgraph.exporters.network`: the actor network as GraphML and GEXF
  (Gephi, Cytoscape, networkx, igraph), written with the standard library;
- :mod:`claimgraph.exporters.datasette`: metadata that makes ``datasette`` show the
  readable SQL views with descriptions and canned queries.

The GDELT/PLOVER-style event CSV stays in :mod:`claimgraph.export`.
"""
