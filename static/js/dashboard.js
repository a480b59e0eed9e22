/* Dashboard charts. The data comes from a json_script block, so the page needs no inline
   script (a strict Content-Security-Policy can forbid them). */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var lang = document.documentElement.lang || "id";
  var palette = ["#0b3d6b", "#12508a", "#1a5f9e", "#1d6fb8", "#2f7fc4", "#3f8fd2", "#5a9dd6"];
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#212529";
  Chart.defaults.animation = false;

  function bar(id, chart, options) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    options = options || {};
    var total = chart.data.reduce(function (a, b) { return a + b; }, 0);
    if (!total) {  // nothing to draw: say so instead of showing empty axes
      var empty = document.createElement("p");
      empty.className = "chart-empty";
      empty.textContent = canvas.getAttribute("data-empty") || "";
      canvas.replaceWith(empty);
      return;
    }
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: [{
          data: chart.data,
          backgroundColor: options.colors || palette[1],
          borderRadius: 3
        }]
      },
      options: {
        indexAxis: options.horizontal ? "y" : "x",
        maintainAspectRatio: false,
        locale: lang,
        plugins: { legend: { display: false } },
        scales: {
          x: { beginAtZero: true, ticks: { precision: 0, autoSkip: false, maxRotation: 60 } },
          y: { beginAtZero: true, ticks: { precision: 0 } }
        }
      }
    });
  }

  bar("chart-funnel", data.funnel, {
    horizontal: true,
    colors: data.funnel.data.map(function (_, i) { return palette[Math.min(i, palette.length - 1)]; })
  });
  bar("chart-regency", data.regency, {});
  bar("chart-exploitation", data.exploitation, { horizontal: true, colors: palette[0] });
}());
