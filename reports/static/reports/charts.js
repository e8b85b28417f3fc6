/* Draws the dashboard's charts with ECharts from the data the page carries (a JSON script per chart).
   The same data fills the table beside each chart; the toolbox saves a chart as a PNG. */
(function () {
  "use strict";

  var PALETTE = ["#8b1a1a", "#d08b2c", "#2f6f9f", "#7a7a7a", "#4b8b3b"];

  function percentLabel(value) {
    return value === null || value === undefined ? "—" : value + "%";
  }

  function toolbox(spec) {
    return {
      right: 8,
      feature: {
        saveAsImage: { name: spec.title, title: spec.saveLabel, pixelRatio: 2, backgroundColor: "#fff" }
      }
    };
  }

  function barOption(spec) {
    var horizontal = spec.categories.length > 4;
    var categoryAxis = { type: "category", data: spec.categories, inverse: horizontal };
    var valueAxis = { type: "value", max: spec.percent ? 100 : null, axisLabel: { formatter: spec.percent ? "{value}%" : "{value}" } };
    return {
      grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
      legend: { top: 4, left: 8 },
      tooltip: { trigger: "axis", valueFormatter: spec.percent ? percentLabel : null },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: spec.series.map(function (series) {
        return { type: "bar", name: series.name, data: series.data, label: { show: spec.categories.length <= 12, position: horizontal ? "right" : "top", formatter: spec.percent ? "{c}%" : "{c}" } };
      })
    };
  }

  function pieOption(spec) {
    var series = spec.series[0];
    return {
      legend: { bottom: 0, left: "center" },
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      series: [{
        type: "pie",
        name: series.name,
        radius: ["35%", "65%"],
        label: { formatter: "{d}%" },
        data: spec.categories.map(function (name, index) { return { name: name, value: series.data[index] }; })
      }]
    };
  }

  function lineOption(spec) {
    return {
      grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
      legend: { top: 4, left: 8 },
      tooltip: { trigger: "axis", valueFormatter: spec.percent ? percentLabel : null },
      xAxis: { type: "category", data: spec.categories },
      yAxis: { type: "value", max: spec.percent ? 100 : null, axisLabel: { formatter: spec.percent ? "{value}%" : "{value}" } },
      series: spec.series.map(function (series) {
        return { type: "line", name: series.name, data: series.data, label: { show: true, formatter: spec.percent ? "{c}%" : "{c}" } };
      })
    };
  }

  var BUILDERS = { bar: barOption, pie: pieOption, line: lineOption };

  function draw(element) {
    var source = document.getElementById(element.dataset.chart);
    if (!source || !window.echarts) { return; }
    var spec = JSON.parse(source.textContent);
    spec.saveLabel = element.dataset.saveLabel || "";
    var option = BUILDERS[spec.kind](spec);
    option.color = PALETTE;
    option.animation = false;
    option.toolbox = toolbox(spec);
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(option);
    element.dataset.drawn = "true";
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(draw);
  });
})();
