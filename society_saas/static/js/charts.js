// Draws every element with a data-chart attribute (ECharts options as JSON) and keeps it sized.
// Charts live in a static file because the Content Security Policy forbids inline scripts.
(function () {
  function draw() {
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.dataset.chartReady) { return; }
      var chart = echarts.init(el, null, { renderer: "svg" });
      var options = JSON.parse(el.dataset.chart);
      options.animation = false;  // figures appear at once, for people and for screenshots alike
      chart.setOption(options);
      el.dataset.chartReady = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
