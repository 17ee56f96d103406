/* The 统计 pages: charts from the page's JSON (json_script), the copy
   button of the work-report paragraph, the print button. No inline script:
   everything is wired from data attributes. */
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Intranet sites often run without TLS, where the clipboard API is off.
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "absolute";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    var done = document.execCommand("copy");
    document.body.removeChild(area);
    return done ? Promise.resolve() : Promise.reject(new Error("copy"));
  }

  function wireCopy() {
    document.querySelectorAll("[data-copy-target]").forEach(function (button) {
      button.addEventListener("click", function () {
        var source = document.getElementById(button.dataset.copyTarget);
        if (!source) return;
        var label = button.textContent;
        copyText(source.textContent.trim()).then(function () {
          button.textContent = button.dataset.copiedLabel || label;
          window.setTimeout(function () { button.textContent = label; }, 2000);
        }, function () {
          var range = document.createRange();
          range.selectNodeContents(source);
          var selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
        });
      });
    });
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }

  var COLOURS = ["#2e5aac", "#d4380d", "#389e0d", "#d48806", "#531dab",
                 "#08979c", "#c41d7f", "#7cb305", "#595959", "#1d39c4"];

  function drawCharts() {
    var source = document.getElementById("stats-chart-data");
    if (!source || typeof window.Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var legend = data.legend;
    document.querySelectorAll("[data-stats-chart]").forEach(function (canvas) {
      var name = canvas.dataset.statsChart;
      var series = data[name];
      if (!series) return;
      if (name === "months") {
        new window.Chart(canvas, {
          type: "bar",
          data: {
            labels: series.labels,
            datasets: [
              { type: "bar", label: legend.held, data: series.held,
                backgroundColor: COLOURS[0], yAxisID: "y" },
              { type: "line", label: legend.people, data: series.people,
                borderColor: COLOURS[1], backgroundColor: COLOURS[1], yAxisID: "y1" }
            ]
          },
          options: {
            responsive: true,
            scales: {
              y: { beginAtZero: true, position: "left",
                   title: { display: true, text: legend.held } },
              y1: { beginAtZero: true, position: "right",
                    grid: { drawOnChartArea: false },
                    title: { display: true, text: legend.people } }
            }
          }
        });
      } else {
        new window.Chart(canvas, {
          type: "doughnut",
          data: {
            labels: series.labels,
            datasets: [{ label: legend.people, data: series.people,
                         backgroundColor: COLOURS }]
          },
          options: { responsive: true, plugins: { legend: { position: "right" } } }
        });
      }
    });
  }

  function start() {
    wireCopy();
    drawCharts();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
