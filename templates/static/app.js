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

  // Wording hints, updated while the reporter writes; the button works without this.
  const hintsBox = document.getElementById("hints-results");
  const texts = ["title", "narrative", "what_helped", "lesson"]
    .map((id) => document.getElementById(id))
    .filter(Boolean);
  if (hintsBox && texts.length > 0) {
    let timer = null;
    let asked = "";
    const check = async () => {
      const text = texts.map((field) => field.value).join("\n\n");
      if (text === asked) return;
      asked = text;
      try {
        const response = await fetch("/api/v1/hints", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ text }),
        });
        if (!response.ok) return;
        const { hints } = await response.json();
        hintsBox.replaceChildren();
        if (hints.length === 0) return;
        const list = document.createElement("ul");
        list.className = "hints";
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
        hintsBox.append(list);
      } catch (_) {
        // Offline or blocked: the button still works.
      }
    };
    const later = () => {
      clearTimeout(timer);
      timer = setTimeout(check, 900);
    };
    for (const field of texts) field.addEventListener("input", later);
  }
});
