/*
 * Live view of the benches (benches/list.html, benches/detail.html): each bench card is
 * re-rendered by the server when its disks or tasks change (hotplug, progress, outcome) and
 * swapped in without reloading the page. A static file, so the Content-Security-Policy needs
 * no inline script.
 */
(function () {
  var board = document.getElementById("bench-board");
  if (!window.EventSource || !board) return;
  var state = document.getElementById("live-state");
  // The texts come in the language of the page, from the state line's data attributes.
  var live = state.dataset.live;
  var lost = state.dataset.lost;
  // Every live slot of the server is taken (many screens open): a fresh view every few seconds.
  var busyText = state.dataset.busy;
  var busy = false;
  var source = new EventSource(board.dataset.stream);
  source.addEventListener("busy", function (event) {
    busy = true;
    state.textContent = busyText.replace("SECONDS", event.data);
  });
  source.addEventListener("card", function (event) {
    var item = JSON.parse(event.data);
    var old = document.getElementById("bench-" + item.bench);
    var holder = document.createElement("div");
    holder.innerHTML = item.html;
    var card = holder.firstElementChild;
    if (!card) return;
    // Keep the keyboard focus where it was when the focused control is still there.
    var focused = old && old.contains(document.activeElement) ? document.activeElement : null;
    var key = focused && (focused.getAttribute("href") || focused.closest("form") && focused.closest("form").action);
    if (old) { old.replaceWith(card); } else { board.appendChild(card); }
    if (key) {
      var again = Array.prototype.find.call(card.querySelectorAll("a, button"), function (el) {
        return (el.getAttribute("href") || el.closest("form") && el.closest("form").action) === key;
      });
      if (again) again.focus();
    }
    if (!busy) state.textContent = live;
  });
  // The session ended (logged out here or elsewhere, password changed): stop listening and
  // reload, which leads to the login page.
  source.addEventListener("ended", function () {
    source.close();
    window.location.reload();
  });
  source.addEventListener("open", function () {
    busy = false;  // a busy server says so first thing; the text changes only when it is not
    if (state.textContent === lost) state.textContent = live;
  });
  source.addEventListener("error", function () { if (!busy) state.textContent = lost; });
})();
