// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll(".print-button")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }

  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();

  // Similar past lessons, updated while the reporter writes.
  const results = document.getElementById("similar-results");
  const title = document.getElementById("title");
  const narrative = document.getElementById("narrative");
  if (results && title && narrative) {
    let timer = null;
    let asked = "";
    const update = async () => {
      const draft = { title: title.value, narrative: narrative.value };
      const key = draft.title + "\u0000" + draft.narrative;
      if (key === asked || (draft.title + draft.narrative).trim().length < 12) return;
      asked = key;
      try {
        const response = await fetch("/api/v1/similar", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(draft),
        });
        if (!response.ok) return;
        const { hits } = await response.json();
        results.replaceChildren();
        if (hits.length === 0) {
          const none = document.createElement("p");
          none.className = "muted";
          none.textContent = "No similar lesson has been shared yet.";
          results.append(none);
          return;
        }
        const list = document.createElement("ul");
        list.className = "similar-list";
        for (const hit of hits) {
          const item = document.createElement("li");
          const link = document.createElement("a");
          link.href = "/reports/" + encodeURIComponent(hit.ref);
          link.textContent = hit.title;
          link.target = "_blank";
          const month = document.createElement("span");
          month.className = "muted";
          month.textContent = " " + hit.month;
          item.append(link, month);
          list.append(item);
        }
        results.append(list);
      } catch (_) {
        // Offline or blocked: the button still works.
      }
    };
    const later = () => {
      clearTimeout(timer);
      timer = setTimeout(update, 700);
    };
    title.addEventListener("input", later);
    narrative.addEventListener("input", later);
  }

  // Wording hints beside each text, updated while the reporter writes; the "Check my wording"
  // button does the same without this.
  for (const id of ["title", "narrative", "what_helped", "lesson"]) {
    const field = document.getElementById(id);
    const box = document.getElementById(id + "-wording");
    if (!field || !box) continue;
    let timer = null;
    let asked = field.value;
    const check = async () => {
      const text = field.value;
      if (text === asked) return;
      asked = text;
      try {
        const response = await fetch("/api/v1/hints", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ text }),
        });
        if (!response.ok || text !== field.value) return;
        const { hints } = await response.json();
        box.replaceChildren();
        if (hints.length === 0) return;
        const list = document.createElement("ul");
        list.className = "hints";
        list.setAttribute("aria-label", "Wording suggestions");
        for (const hint of hints) {
          const item = document.createElement("li");
          item.className = "hint-item";
          const quote = document.createElement("p");
          const strong = document.createElement("strong");
          strong.textContent = "\u201c" + hint.excerpt + "\u201d";
          quote.append(strong);
          const why = document.createElement("p");
          why.textContent = hint.explanation;
          const instead = document.createElement("p");
          instead.className = "muted";
          instead.textContent = "Try: " + hint.reframing;
          item.append(quote, why, instead);
          list.append(item);
        }
        box.append(list);
      } catch (_) {
        // Offline or blocked: the button still works.
      }
    };
    field.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(check, 900);
    });
  }
});
