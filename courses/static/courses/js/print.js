// "Print the timetable": the print stylesheet keeps the timetable only.
document.querySelectorAll("[data-print]").forEach(function (link) {
  link.addEventListener("click", function (event) {
    event.preventDefault();
    window.print();
  });
});
