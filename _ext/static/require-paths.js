// Loaded between RequireJS and the vendored widget manager (embed-amd.js).
// Each bundled widget module finds its fonts relative to its AMD module id; map every
// id into the folder this file is served from, so the fonts load from the book,
// not from the page's own folder.
(function () {
  var src = document.currentScript.src;
  var folder = src.substring(0, src.lastIndexOf("/"));
  var modules = ["base", "base7", "controls", "controls7", "output", "html-manager"];
  var paths = { "@jupyter-widgets/html-manager/dist": folder };
  modules.forEach(function (name) { paths["@jupyter-widgets/" + name] = folder + "/" + name; });
  require.config({ paths: paths });
})();
