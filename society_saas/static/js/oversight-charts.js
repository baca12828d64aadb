// Draws the association console's charts from JSON blocks (the CSP forbids inline scripts).
(function () {
  "use strict";
  function label(el, key) { return el.getAttribute("data-label-" + key) || key; }
  function draw(el) {
    if (typeof echarts === "undefined") { return; }
    var source = document.getElementById(el.getAttribute("data-source"));
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(el);
    var kind = el.getAttribute("data-chart");
    var title = { text: el.getAttribute("data-title") || "", textStyle: { fontSize: 14 } };
    // Chart text in the page's own font, not the canvas default (which renders Chinese in a fallback face);
    // no animation, so the figures are final at once, for people and for screenshots alike.
    chart.setOption({ animation: false, textStyle: { fontFamily: window.getComputedStyle(el).fontFamily } });
    if (kind === "members") {
      chart.setOption({
        title: title, tooltip: { trigger: "axis" }, legend: { top: 30 },
        grid: { top: 66, left: 40, right: 10, bottom: 40 },
        xAxis: { type: "category", data: data.names, axisLabel: { rotate: 30 } }, yAxis: { type: "value" },
        series: [{ name: label(el, "members"), type: "bar", data: data.members },
                 { name: label(el, "joined"), type: "bar", data: data.joined }]
      });
    } else if (kind === "renewal") {
      var items = Object.keys(data.renewal).map(function (k) { return { name: label(el, k), value: data.renewal[k] }; });
      // On a phone the slice labels do not fit beside the ring (they were cut to "180..."): a legend below instead.
      var narrow = el.clientWidth < 480;
      chart.setOption({ title: title, tooltip: { trigger: "item" }, legend: { show: narrow, bottom: 0 },
                        series: [{ type: "pie", radius: ["35%", "65%"], top: 30, bottom: narrow ? 30 : 0,
                                   label: { show: !narrow }, data: items }] });
    } else if (kind === "ranking") {
      chart.setOption({
        title: title, tooltip: { trigger: "axis" }, grid: { top: 40, left: 120, right: 20, bottom: 20 },
        xAxis: { type: "value", max: 100 }, yAxis: { type: "category", inverse: true, data: data.names },
        series: [{ type: "bar", data: data.totals }]
      });
    } else if (kind === "breakdown") {
      chart.setOption({
        title: title, tooltip: { trigger: "axis" }, legend: { top: 0, right: 0 },
        grid: { top: 36, left: 10, right: 20, bottom: 20, containLabel: true },
        xAxis: { type: "value" }, yAxis: { type: "category", inverse: true, data: data.names },
        series: [{ name: label(el, "points"), type: "bar", data: data.points, label: { show: true, position: "right" } },
                 { name: label(el, "weight"), type: "bar", data: data.weights, itemStyle: { color: "#c9d3de" } }]
      });
    }
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), draw);
  });
})();
