/* PNG export of the network for slides and handouts: the current view at twice the screen's
 * resolution, with a title above and the caption and the legend below, so the picture explains
 * itself outside the page. Everything is drawn locally on a canvas; nothing leaves the page.
 */
(function () {
  "use strict";
  var RATIO = 2, PAD = 24, FACE = "system-ui, sans-serif";

  /** The network's canvas drawn at RATIO× its size: the container is enlarged for one draw. */
  function snapshot(network, container) {
    var rect = container.getBoundingClientRect(), view = { position: network.getViewPosition(), scale: network.getScale() };
    var style = { width: container.style.width, height: container.style.height, flex: container.style.flex };
    container.style.flex = "none";
    container.style.width = rect.width * RATIO + "px";
    container.style.height = rect.height * RATIO + "px";
    network.setSize("100%", "100%");
    network.moveTo({ position: view.position, scale: view.scale * RATIO, animation: false });
    network.redraw();
    var copy = document.createElement("canvas"), source = container.querySelector("canvas");
    copy.width = rect.width * RATIO; copy.height = rect.height * RATIO;
    copy.getContext("2d").drawImage(source, 0, 0, copy.width, copy.height);
    Object.keys(style).forEach(function (k) { container.style[k] = style[k]; });
    network.setSize("100%", "100%");
    network.moveTo({ position: view.position, scale: view.scale, animation: false });
    return copy;
  }

  /** Lines of text no wider than width (words kept whole). */
  function wrap(ctx, text, width) {
    var lines = [], line = "";
    String(text || "").split(/\s+/).forEach(function (word) {
      var next = line ? line + " " + word : word;
      if (line && ctx.measureText(next).width > width) { lines.push(line); line = word; } else { line = next; }
    });
    if (line) lines.push(line);
    return lines;
  }

  /** Legend entries drawn in rows: a coloured mark and its label. Returns the height used. */
  function legend(ctx, items, x, y, width, draw) {
    var size = 14 * RATIO, cx = x, cy = y;
    ctx.font = size + "px " + FACE;
    items.forEach(function (item) {
      var w = size * 1.6 + ctx.measureText(item.label).width + size;
      if (cx + w > x + width) { cx = x; cy += size * 1.6; }
      if (draw) {
        ctx.fillStyle = item.color; ctx.fillRect(cx, cy + size * 0.15, size * 0.9, size * 0.9);
        ctx.fillStyle = "#222"; ctx.fillText(item.label, cx + size * 1.3, cy);
      }
      cx += w;
    });
    return cy - y + size * 1.6;
  }

  /** The PNG as a data URL: title, the network at 2×, caption, legend. info: {title, caption, legend}. */
  function png(network, container, info) {
    var picture = snapshot(network, container), width = picture.width, pad = PAD * RATIO;
    var out = document.createElement("canvas"), ctx = out.getContext("2d");
    ctx.font = "bold " + 22 * RATIO + "px " + FACE;
    var title = wrap(ctx, info.title, width - 2 * pad);
    ctx.font = 18 * RATIO + "px " + FACE;
    var caption = wrap(ctx, info.caption, width - 2 * pad);
    var titleH = title.length * 30 * RATIO + pad, captionH = caption.length * 26 * RATIO;
    var legendH = legend(ctx, info.legend, pad, 0, width - 2 * pad, false);
    out.width = width;
    out.height = titleH + picture.height + captionH + legendH + 2 * pad;
    ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, out.width, out.height);
    ctx.textBaseline = "top"; ctx.fillStyle = "#222";
    ctx.font = "bold " + 22 * RATIO + "px " + FACE;
    title.forEach(function (line, i) { ctx.fillText(line, pad, pad / 2 + i * 30 * RATIO); });
    ctx.drawImage(picture, 0, titleH);
    ctx.font = 18 * RATIO + "px " + FACE;
    caption.forEach(function (line, i) { ctx.fillText(line, pad, titleH + picture.height + pad / 2 + i * 26 * RATIO); });
    legend(ctx, info.legend, pad, titleH + picture.height + captionH + pad, width - 2 * pad, true);
    return out.toDataURL("image/png");
  }

  window.LeangenExport = { png: png, ratio: RATIO };
})();
