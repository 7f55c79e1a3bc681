// Quote inline: when a person is chosen and the attribution is empty, fill it with the roles
// they held on the release date. The editor can still change it.
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

  async function fillAttribution(select) {
    const row = select.closest(".inline-related");
    const field = row && row.querySelector("input[name$='-attribution']");
    if (!field || field.value.trim() !== "" || !select.value) return;
    const query = new URLSearchParams({ date: releaseDate() });
    const response = await fetch(`${attributionUrl(select.value)}?${query}`, {
      credentials: "same-origin",
    });
    if (!response.ok) return;
    const data = await response.json();
    if (field.value.trim() === "") field.value = data.attribution;
  }

  document.addEventListener("change", (event) => {
    if (event.target.matches("select[name$='-person']")) fillAttribution(event.target);
  });
  // The autocomplete widget (Select2) announces a choice through jQuery only.
  window.addEventListener("load", () => {
    if (window.django && window.django.jQuery) {
      window.django.jQuery(document).on("select2:select", "select[name$='-person']", (event) => {
        fillAttribution(event.target);
      });
    }
  });
})();
