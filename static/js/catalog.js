// The post's contents mark where the reader is: the last entry (or section) whose top has passed the
// reading line near the top of the screen.
{
  const links = new Map(
    [...document.querySelectorAll(".catalog-aside a[href^='#']")].map((link) => [link.hash.slice(1), link])
  );
  const targets = [...links.keys()].map((id) => document.getElementById(id)).filter(Boolean);
  let current = null;
  let waiting = false;
  const update = () => {
    waiting = false;
    const passed = targets.filter((target) => target.getBoundingClientRect().top <= 80);
    const link = passed.length ? links.get(passed[passed.length - 1].id) : null;
    if (link === current) return;
    if (current) current.removeAttribute("aria-current");
    current = link;
    if (current) current.setAttribute("aria-current", "location");
  };
  if (targets.length) {
    addEventListener(
      "scroll",
      () => {
        if (!waiting) requestAnimationFrame(update);
        waiting = true;
      },
      { passive: true }
    );
    update();
  }
}
