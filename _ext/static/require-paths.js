// Loaded between RequireJS and the vendored widget manager (embed-amd.js).
// The manager finds its fonts relative to its AMD module id; map that id to the
// folder this file is served from, so they load from the book, not the page's folder.
(function () {
  var src = document.currentScript.src;
  var folder = src.substring(0, src.lastIndexOf("/"));
  require.config({ paths: { "@jupyter-widgets/html-manager/dist": folder } });
})();
