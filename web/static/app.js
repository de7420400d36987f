// tdkt web UI: optional enhancements only; every page works without them.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // "Select all" checkboxes: data-select-all names the checkboxes of the
  // same form that it toggles.
  document.querySelectorAll("input[data-select-all]").forEach(function (all) {
    var name = all.getAttribute("data-select-all");
    var boxes = function () {
      return all.form ? all.form.querySelectorAll('input[type=checkbox][name="' + name + '"]') : [];
    };
    all.addEventListener("change", function () {
      boxes().forEach(function (b) { b.checked = all.checked; });
    });
  });
  // After a refused form, move the focus to the error summary so that
  // screen readers announce it.
  var problem = document.getElementById("problem");
  if (problem) { problem.focus(); }
});
