// The HTML report's only script: the sample browser. It is a constant (never built from
// data); it reads the samples from the JSON data block and writes them with textContent, so
// no sample text is ever parsed as HTML. The page's Content-Security-Policy allows exactly
// this script by its SHA-256.
#include "reports/report_sections.h"

namespace perseval::report {

const std::string& report_script() {
  static const std::string script = R"JS(
(function () {
  'use strict';
  window.onerror = function (message) {
    document.body.setAttribute('data-report-error', String(message));
  };
  var PAGE = 100;
  var data = JSON.parse(document.getElementById('sample-data').textContent);
  var runs = data.runs, samples = data.samples;
  var search = document.getElementById('sample-search');
  var taskFilter = document.getElementById('filter-task');
  var modelFilter = document.getElementById('filter-model');
  var errorsOnly = document.getElementById('filter-errors');
  var rows = document.getElementById('sample-rows');
  var status = document.getElementById('sample-status');
  var prev = document.getElementById('page-prev');
  var next = document.getElementById('page-next');

  function addOptions(select, key) {
    var seen = {};
    runs.forEach(function (run) {
      var value = run[key];
      if (Object.prototype.hasOwnProperty.call(seen, value)) return;
      seen[value] = true;
      select.add(new Option(value, value));
    });
  }
  addOptions(taskFilter, 'task');
  addOptions(modelFilter, 'model');

  // Row layout: [run, sample_id, user, target, output, parsed, scores, error].
  var haystacks = samples.map(function (s) {
    return [s[1], s[2], s[3], s[4], s[5], s[7]].join('\n').toLowerCase();
  });
  var matches = [], page = 0;

  function apply() {
    var needle = search.value.trim().toLowerCase();
    var task = taskFilter.value, model = modelFilter.value, failed = errorsOnly.checked;
    matches = [];
    for (var i = 0; i < samples.length; i++) {
      var s = samples[i], run = runs[s[0]];
      if (task && run.task !== task) continue;
      if (model && run.model !== model) continue;
      if (failed && !s[7]) continue;
      if (needle && haystacks[i].indexOf(needle) < 0) continue;
      matches.push(i);
    }
    page = 0;
    render();
  }

  function cell(tr, text, className) {
    var td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    tr.appendChild(td);
  }

  function render() {
    var pages = Math.max(1, Math.ceil(matches.length / PAGE));
    page = Math.min(Math.max(page, 0), pages - 1);
    var start = page * PAGE, end = Math.min(matches.length, start + PAGE);
    var fragment = document.createDocumentFragment();
    for (var k = start; k < end; k++) {
      var s = samples[matches[k]], run = runs[s[0]];
      var tr = document.createElement('tr');
      if (s[7]) tr.className = 'failed';
      cell(tr, run.task, 't');
      cell(tr, run.model, 'm');
      cell(tr, s[1], 'id');
      cell(tr, s[2], 'u');
      cell(tr, s[3], 'txt');
      cell(tr, s[4], 'txt');
      cell(tr, s[5], 'txt');
      cell(tr, s[6], 'sc');
      cell(tr, s[7], 'err');
      fragment.appendChild(tr);
    }
    while (rows.firstChild) rows.removeChild(rows.firstChild);
    rows.appendChild(fragment);
    status.textContent = matches.length === 0 ? 'no matching samples'
        : (start + 1) + '\u2013' + end + ' of ' + matches.length + ' matching samples (page ' +
          (page + 1) + ' of ' + pages + ')';
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
  }

  var timer = null;
  search.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(apply, 150);
  });
  taskFilter.addEventListener('change', apply);
  modelFilter.addEventListener('change', apply);
  errorsOnly.addEventListener('change', apply);
  prev.addEventListener('click', function () { page--; render(); });
  next.addEventListener('click', function () { page++; render(); });
  apply();
  document.body.setAttribute('data-report-ready', '1');
})();
)JS";
  return script;
}

}  // namespace perseval::report
