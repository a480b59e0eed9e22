// Draws the summary's charts from the data the page embeds with json_script.
// Hidden (suppressed) cells arrive as null and are left out of the bars.
(function () {
  "use strict";
  var source = document.getElementById("summary-charts");
  if (!source || typeof Chart === "undefined") { return; }
  var charts = JSON.parse(source.textContent);
  var colours = ["#0b3d6b", "#1d6fb8", "#b02a37", "#f0ad00"];
  charts.forEach(function (c) {
    var canvas = document.getElementById("chart-" + c.id);
    if (!canvas) { return; }
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: c.labels,
        datasets: c.series.map(function (s, i) {
          return { label: s.label, data: s.data, backgroundColor: colours[i % colours.length] };
        })
      },
      options: {
        indexAxis: c.labels.length > 6 ? "y" : "x",
        maintainAspectRatio: false,
        plugins: { legend: { display: c.series.length > 1 } },
        scales: { x: { ticks: { precision: 0 } }, y: { ticks: { precision: 0 } } }
      }
    });
  });
})();
