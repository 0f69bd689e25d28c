// report.html: binds the shared pieces of leapsim.js (tabs, chart read-outs, the province map) to the page.
(function () {
  'use strict';
  LeapSim.bindTabs(document);
  LeapSim.bindCharts(document);
  var dataEl = document.getElementById('map-data');
  if (dataEl) LeapSim.provinceMap(document, JSON.parse(dataEl.textContent));
})();
