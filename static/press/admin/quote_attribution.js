// Quote inline: the roles offered are the speaker's, with their dates; under the attribution
// the page says what will be printed. While the release is a draft an empty attribution
// follows the roles chosen (or every role held on the release date) and the date itself, and
// publication writes it down; so nothing is typed into the field here.
"use strict";
(function () {
  function releaseDate() {
    const dateline = document.getElementById("id_dateline_date");
    const published = document.getElementById("id_published_at_0");
    return (dateline && dateline.value) || (published && published.value) || "";
  }

  function attributionUrl(personId) {
    const template = document.getElementById("quote-attribution-url").dataset.url;
    return template.replace("/0/", `/${encodeURIComponent(personId)}/`);
  }

  function rowOf(element) {
    return element.closest(".inline-related");
  }

  function field(row, name) {
    return row.querySelector(`[name$='-${name}']`);
  }

  function note(row) {
    let element = row.querySelector(".attribution-preview");
    if (!element) {
      const input = field(row, "attribution");
      element = document.createElement("div");
      element.className = "help attribution-preview";
      element.setAttribute("role", "status");
      // Under the field's own help text, aligned with it.
      const fieldRow = input.closest(".form-row");
      (fieldRow ? fieldRow.firstElementChild : input.parentElement).appendChild(element);
    }
    return element;
  }

  function offerRoles(select, roles) {
    const chosen = select.value;
    select.replaceChildren(new Option("---------", ""));
    for (const role of roles) {
      const label = role.held ? role.choice : `${role.choice}, not held on the release date`;
      select.appendChild(new Option(label, role.id, false, String(role.id) === chosen));
    }
  }

  function describe(row, person, data) {
    const element = note(row);
    const typed = field(row, "attribution").value.trim();
    if (typed) {
      element.textContent = "Printed as typed above.";
      element.classList.remove("warning");
      return;
    }
    const labels = Object.fromEntries(data.roles.map((role) => [String(role.id), role]));
    const chosen = ["role", "second_role"]
      .map((name) => labels[field(row, name).value])
      .filter(Boolean);
    const printed = chosen.length ? chosen.map((role) => role.label).join(" and ") : data.attribution;
    const stale = chosen.filter((role) => !role.held);
    const day = releaseDate() || "today";
    if (stale.length) {
      element.textContent = `${person} was not ${stale[0].label} on ${day}, the release date.`;
      element.classList.add("warning");
    } else if (!printed) {
      element.textContent = `${person} held no role on ${day}, the release date: no role is printed.`;
      element.classList.add("warning");
    } else {
      element.textContent = `Printed: ${printed}. Until publication this follows the roles and the release date.`;
      element.classList.remove("warning");
    }
  }

  async function refresh(row) {
    const select = field(row, "person");
    if (!select || !select.value) return;
    const query = new URLSearchParams({ date: releaseDate() });
    const response = await fetch(`${attributionUrl(select.value)}?${query}`, {
      credentials: "same-origin",
    });
    if (!response.ok) return;
    const data = await response.json();
    offerRoles(field(row, "role"), data.roles);
    offerRoles(field(row, "second_role"), data.roles);
    const name = select.selectedOptions.length ? select.selectedOptions[0].textContent : "";
    describe(row, name.trim(), data);
  }

  function refreshAll() {
    document.querySelectorAll(".inline-related:not(.empty-form) select[name$='-person']")
      .forEach((select) => refresh(rowOf(select)));
  }

  document.addEventListener("change", (event) => {
    const target = event.target;
    if (target.matches("select[name$='-person'], select[name$='role']")) {
      const row = rowOf(target);
      if (row) refresh(row);
    } else if (target.matches("input[name$='-attribution']")) {
      refresh(rowOf(target));
    } else if (target.matches("#id_dateline_date, #id_published_at_0")) {
      refreshAll();
    }
  });
  window.addEventListener("load", () => {
    refreshAll();
    // The autocomplete widget (Select2) announces a choice through jQuery only.
    if (window.django && window.django.jQuery) {
      window.django.jQuery(document).on("select2:select", "select[name$='-person']", (event) => {
        refresh(rowOf(event.target));
      });
    }
  });
})();
