/* Charts drawn with the vendored Apache ECharts (static/vendor/echarts).
   The page's Content-Security-Policy allows no inline style attribute: ECharts styles
   its elements through the CSSOM (allowed), but its default HTML tooltips carry
   style="..." markup, so the bar charts draw their tooltips on the canvas (richText)
   and the network's tooltip is plain escaped text. */
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  function readJSON(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent || "{}") : null;
  }
  function bars(node, categories, series, colors) {
    var chart = echarts.init(node);
    chart.setOption({
      color: colors,
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 50 },
      xAxis: { type: "category", data: categories },
      yAxis: { type: "value", minInterval: 1 },
      dataZoom: categories.length > 30 ? [{ type: "slider" }] : [],
      series: series.map(function (s) { return { name: s.name, type: "bar", stack: "all", data: s.data }; })
    });
    window.addEventListener("resize", function () { chart.resize(); });
    node.setAttribute("data-ready", "true");
  }
  var actor = document.getElementById("actor-chart");
  if (actor) {
    var a = readJSON("actor-chart-data");
    bars(actor, a.months, a.series, ["#3b5bdb", "#15aabf", "#e8590c", "#c92a2a"]);
  }
  var tl = document.getElementById("timeline-chart");
  if (tl) {
    var t = readJSON("timeline-chart-data");
    bars(tl, t.days, t.series, ["#e8590c", "#3b5bdb"]);
  }
  var net = document.getElementById("network-chart");
  if (net) {
    var colours = { person: "#3b5bdb", state: "#c92a2a", organisation: "#2b8a3e", media: "#e8590c",
                    igo: "#7048e8", group: "#f08c00", unknown: "#868e96" };
    fetch(net.getAttribute("data-api"), { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (g) { network(net, g, colours); });
  }
  /* The force layout runs to rest at once (no animation), then the nodes are placed at
     the positions it found with layout "none": ECharts then fits them all inside the
     series box, below the legend, with room on the right for the labels, so no node is
     drawn under the legend or clipped at an edge. */
  function network(node, g, colours) {
    var types = Object.keys(colours).filter(function (t) {
      return g.nodes.some(function (n) { return n.type === t; });
    });
    var chart = echarts.init(node);
    if (!g.nodes.length) {
      chart.setOption({ title: { text: "No ties between actors to show", left: "center", top: "middle",
                                 textStyle: { color: "#667085", fontSize: 14, fontWeight: "normal" } } });
      window.addEventListener("resize", function () { chart.resize(); });
      node.setAttribute("data-ready", "true");
      return;
    }
    var max = Math.max.apply(null, [1].concat(g.nodes.map(function (n) { return n.weight; })));
    var names = {};
    g.nodes.forEach(function (n) { names[n.id] = n.name; });
    var nodes = g.nodes.map(function (n) {
      return { id: n.id, name: n.name, type: n.type, value: n.weight,
               category: Math.max(0, types.indexOf(n.type)),
               symbolSize: 8 + 30 * Math.sqrt(n.weight / max) };
    });
    chart.setOption({
      tooltip: { formatter: function (p) {
        if (p.dataType === "edge") { return echarts.format.encodeHTML(p.data.label); }
        return echarts.format.encodeHTML(p.data.name + " (" + p.data.type + ")");
      } },
      legend: [{ data: types, top: 6, left: "center" }],
      series: [{
        type: "graph", layout: "force", roam: true, draggable: true,
        top: 60, bottom: 36, left: 30, right: 30,
        categories: types.map(function (t) { return { name: t, itemStyle: { color: colours[t] } }; }),
        force: { repulsion: 220, edgeLength: [60, 180], gravity: 0.08, layoutAnimation: false },
        label: { show: true, position: "right", fontSize: 11 },
        edgeSymbol: ["none", "arrow"], edgeSymbolSize: 6,
        data: nodes,
        links: g.edges.map(function (e) {
          return { source: e.source, target: e.target, value: e.count,
                   label: names[e.source] + (e.kind === "acts" ? " acts on " : " speaks about ") +
                          names[e.target] + " ×" + e.count,
                   lineStyle: { type: e.kind === "acts" ? "solid" : "dashed", width: Math.min(6, 0.8 + e.count / 2),
                                opacity: 0.6, curveness: 0.15 } };
        })
      }]
    });
    var data = chart.getModel().getSeriesByIndex(0).getData();
    var placed = nodes.map(function (n, i) {
      var xy = data.getItemLayout(i) || [NaN, NaN];
      return Object.assign({}, n, { x: xy[0], y: xy[1] });
    });
    if (placed.every(function (n) { return isFinite(n.x) && isFinite(n.y); })) {
      /* labels point inwards (right of a node in the left half, left of one in the
         right half), so the box needs room for the symbols only, never a label */
      var xs = placed.map(function (n) { return n.x; });
      var mid = (Math.min.apply(null, xs) + Math.max.apply(null, xs)) / 2;
      placed.forEach(function (n) { n.label = { position: n.x > mid ? "left" : "right" }; });
      chart.setOption({ series: [{ layout: "none", left: 30, right: 30, data: placed }] });
    }
    chart.on("click", function (p) {
      if (p.dataType === "node") { window.location.href = "/actors/" + encodeURIComponent(p.data.id); }
    });
    window.addEventListener("resize", function () { chart.resize(); });
    node.setAttribute("data-ready", "true");
  }
})();
