/* "Add a row" for inline formsets (victims and perpetrators on the case form): clones the
   empty form kept in a <template>, numbers it and raises TOTAL_FORMS. Without JavaScript
   the form still works with the one blank row the server renders. */
(function () {
  "use strict";
  document.querySelectorAll("[data-formset]").forEach(function (box) {
    var prefix = box.getAttribute("data-formset");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-empty");
    var list = box.querySelector("[data-formset-list]");
    var button = box.querySelector("[data-formset-add]");
    if (!total || !template || !list || !button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index))
        .replace(/__number__/g, String(index + 1));
      var wrapper = document.createElement("div");
      wrapper.innerHTML = html.trim();
      var row = wrapper.firstElementChild;
      list.appendChild(row);
      total.value = String(index + 1);
      var first = row.querySelector("select, input, textarea");
      if (first) { first.focus(); }
    });
  });
}());
