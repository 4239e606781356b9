// The image of a slider-driven widget (nnlib.book.widgets.frames.FrameView), in the browser.
//
// Pictures come from the kernel, each with the control values it shows (its key):
// the current picture in the model's `value` and `key`, and pictures made ahead for
// other values in custom messages {key} with the picture as a binary buffer. The view
// keeps them all. When a control moves, the view shows the picture for the controls'
// new values at once if it has it, with no trip to the kernel; otherwise it shows the
// kernel's current picture, as a plain image widget would, until the right one comes.

// A dropdown reports its index (ipywidgets 8 does not send a dropdown's value to the
// browser), every other control its value; the kernel makes keys the same way.
const controlValue = (control) =>
  control.get("_options_labels") === undefined ? control.get("value") : control.get("index");

// Numbers are compared with a tolerance: a log slider's value is computed by the browser.
const sameKey = (a, b) =>
  a.length === b.length &&
  a.every((x, i) =>
    typeof x === "number" && typeof b[i] === "number"
      ? Math.abs(x - b[i]) <= 1e-9 * Math.max(1, Math.abs(x))
      : x === b[i]);

async function render({ model, el }) {
  const img = document.createElement("img");
  img.className = "nnlib-frame widget-image";
  img.alt = "the widget's picture";
  el.appendChild(img);

  let frames = []; // {key, url}
  let current = null; // the frame of the kernel's current picture
  let shown = null; // the frame on screen
  const keep = (key, bytes) => {
    // A picture depends only on its key: one that came before stays.
    const known = frames.find((frame) => sameKey(frame.key, key));
    if (known) return known;
    const frame = { key, url: URL.createObjectURL(new Blob([bytes], { type: `image/${model.get("format")}` })) };
    frames.push(frame);
    return frame;
  };

  const ids = model.get("controls").map((ref) => ref.replace(/^IPY_MODEL_/, ""));
  const controls = await Promise.all(ids.map((id) => model.widget_manager.get_model(id)));

  const refresh = () => {
    const wanted = controls.map(controlValue);
    const frame = frames.find((f) => sameKey(f.key, wanted)) || current;
    if (frame && frame !== shown) {
      img.src = frame.url;
      shown = frame;
    }
  };
  const onPicture = () => {
    current = keep(model.get("key"), model.get("value"));
    refresh();
  };
  const onMessage = (message, buffers) => {
    if (message.forget) {
      const stay = frames.filter((frame) => frame === current || frame === shown);
      frames.filter((frame) => !stay.includes(frame)).forEach((frame) => URL.revokeObjectURL(frame.url));
      frames = stay;
    } else if (message.key) {
      keep(message.key, buffers[0]);
      refresh();
    }
  };

  onPicture();
  model.on("change:value", onPicture);
  model.on("msg:custom", onMessage);
  controls.forEach((control) => control.on("change", refresh));
  model.send({ view: "new" }); // a new view has only the current picture: the kernel starts its list again

  return () => {
    model.off("change:value", onPicture);
    model.off("msg:custom", onMessage);
    controls.forEach((control) => control.off("change", refresh));
    frames.forEach((frame) => URL.revokeObjectURL(frame.url));
  };
}

export default { render };
