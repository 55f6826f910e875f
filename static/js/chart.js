// Fig. 1 has two states, as published and today. Without JavaScript both are shown, one under the other;
// with it, a toggle shows one at a time.
document.querySelectorAll(".chart-toggle").forEach((toggle) => {
  const figure = toggle.closest("figure");
  const show = (key) => {
    figure.querySelectorAll(".chart-state").forEach((state) => {
      state.hidden = state.dataset.state !== key;
    });
    toggle.querySelectorAll("button").forEach((button) => {
      button.setAttribute("aria-pressed", String(button.dataset.state === key));
    });
  };
  toggle.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (button) show(button.dataset.state);
  });
  toggle.hidden = false;
  show(toggle.querySelector("button").dataset.state);
});
