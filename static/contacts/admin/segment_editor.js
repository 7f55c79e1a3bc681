// The segment editor: groups of conditions picked from lists, written into the form's `rules`
// field as JSON (what is posted and checked), with the count and a sample of the contacts
// matching them fetched as they change. Without JavaScript the JSON is edited by hand.
"use strict";
(function () {
  const root = document.getElementById("segment-editor");
  const field = document.getElementById("id_rules");
  if (!root || !field) return;
  const options = JSON.parse(document.getElementById("segment-editor-options").textContent);
  const groupsBox = root.querySelector(".segment-groups");
  const output = root.querySelector(".segment-count");
  const sample = root.querySelector(".segment-sample");
  let rules = parse(field.value);
  let uid = 0;
  let timer = null;
  let pending = null;

  function parse(text) {
    try {
      const parsed = JSON.parse(text);
      if (parsed && Array.isArray(parsed.groups) && parsed.groups.length) return parsed;
    } catch (error) {
      // Not JSON yet: start with one empty condition.
    }
    return { join: "or", groups: [newGroup()] };
  }

  function newCondition() {
    return { field: "country", operator: "is", values: [] };
  }

  function newGroup() {
    return { join: "and", conditions: [newCondition()] };
  }

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function labelled(labelText, control) {
    const id = `segment-control-${++uid}`;
    control.id = id;
    const wrapper = element("span", { class: "segment-control" });
    wrapper.append(element("label", { for: id, class: "visually-hidden" }, labelText), control);
    return wrapper;
  }

  function selectOf(pairs, chosen, multiple) {
    const select = element("select", multiple ? { multiple: "", size: "6" } : {});
    const wanted = new Set(chosen.map(String));
    if (!multiple) select.append(element("option", { value: "" }, "—"));
    pairs.forEach(([value, label]) => {
      const option = element("option", { value: String(value) }, label);
      option.selected = wanted.has(String(value));
      select.append(option);
    });
    return select;
  }

  function valueControl(condition, where) {
    const fieldLabel = options.fields.find(([name]) => name === condition.field)[1];
    const many = condition.operator === "any_of";
    if (condition.field === "region") {
      const input = element("input", { type: "text", size: "24" });
      input.value = condition.values.join(", ");
      input.placeholder = many ? "Seoul, Busan" : "Seoul";
      input.addEventListener("input", () => {
        const text = input.value.trim();
        const words = text.split(",").map((word) => word.trim()).filter(Boolean);
        condition.values = many ? words : text ? [text] : [];
        changed();
      });
      return labelled(`${where}: ${fieldLabel}`, input);
    }
    const select = selectOf(options.values[condition.field], condition.values, many);
    select.addEventListener("change", () => {
      const chosen = Array.from(select.selectedOptions).map((option) => option.value);
      condition.values = chosen.filter(Boolean).map((value) => {
        const number = Number(value);
        return ["beat", "tag", "outlet"].includes(condition.field) ? number : value;
      });
      changed();
    });
    return labelled(`${where}: ${fieldLabel}`, select);
  }

  function conditionRow(group, condition, index, groupNumber) {
    const where = `Group ${groupNumber}, condition ${index + 1}`;
    const row = element("div", { class: "segment-condition", role: "group", "aria-label": where });
    const fieldSelect = selectOf(options.fields, [condition.field], false);
    fieldSelect.firstChild.remove();
    fieldSelect.addEventListener("change", () => {
      condition.field = fieldSelect.value;
      condition.values = [];
      render();
      changed();
    });
    const operatorSelect = selectOf(options.operators, [condition.operator], false);
    operatorSelect.firstChild.remove();
    operatorSelect.addEventListener("change", () => {
      condition.operator = operatorSelect.value;
      if (condition.operator !== "any_of") condition.values = condition.values.slice(0, 1);
      render();
      changed();
    });
    const remove = element("button", { type: "button", class: "button" }, "Remove");
    remove.setAttribute("aria-label", `Remove ${where.toLowerCase()}`);
    remove.addEventListener("click", () => {
      group.conditions.splice(index, 1);
      if (!group.conditions.length) rules.groups.splice(rules.groups.indexOf(group), 1);
      if (!rules.groups.length) rules.groups.push(newGroup());
      render();
      changed();
    });
    row.append(
      labelled(`${where}: what to filter on`, fieldSelect),
      labelled(`${where}: how`, operatorSelect),
      valueControl(condition, where),
      remove,
    );
    return row;
  }

  function joinSelect(object, labelText) {
    const select = selectOf(options.joins, [object.join], false);
    select.firstChild.remove();
    select.addEventListener("change", () => {
      object.join = select.value;
      changed();
    });
    return labelled(labelText, select);
  }

  function render() {
    groupsBox.replaceChildren();
    const top = element("p", { class: "segment-join" });
    top.append("Contacts matching ", joinSelect(rules, "Groups joined by"), " these groups:");
    groupsBox.append(top);
    rules.groups.forEach((group, groupIndex) => {
      const number = groupIndex + 1;
      const fieldset = element("fieldset", { class: "segment-group" });
      fieldset.append(element("legend", {}, `Group ${number}`));
      const join = element("p");
      join.append("Contacts matching ", joinSelect(group, `Group ${number}: conditions joined by`), " of:");
      fieldset.append(join);
      group.conditions.forEach((condition, index) => {
        fieldset.append(conditionRow(group, condition, index, number));
      });
      const add = element("button", { type: "button", class: "button" }, "Add a condition");
      add.setAttribute("aria-label", `Add a condition to group ${number}`);
      add.addEventListener("click", () => {
        group.conditions.push(newCondition());
        render();
        changed();
      });
      const footer = element("p");
      footer.append(add);
      fieldset.append(footer);
      groupsBox.append(fieldset);
    });
  }

  function changed() {
    field.value = JSON.stringify(rules);
    clearTimeout(timer);
    timer = setTimeout(count, 300);
  }

  // The rules as far as they are filled in: the count leaves out a condition still without a
  // value (saving refuses it, with a message).
  function filledIn() {
    const groups = rules.groups
      .map((group) => ({ ...group, conditions: group.conditions.filter((c) => c.values.length) }))
      .filter((group) => group.conditions.length);
    return { ...rules, groups };
  }

  function ready() {
    return filledIn().groups.length > 0;
  }

  async function count() {
    if (pending) pending.abort();
    if (!ready()) {
      output.textContent = "Choose a value for a condition to see who matches.";
      sample.hidden = true;
      return;
    }
    pending = new AbortController();
    output.textContent = "Counting…";
    const query = new URLSearchParams({ rules: JSON.stringify(filledIn()) });
    let data;
    try {
      const response = await fetch(`${root.dataset.countUrl}?${query}`, {
        credentials: "same-origin",
        signal: pending.signal,
      });
      data = await response.json();
    } catch (error) {
      if (error.name === "AbortError") return;
      output.textContent = "The count could not be fetched; the segment can still be saved.";
      return;
    }
    if (data.error) {
      output.textContent = data.error;
      sample.hidden = true;
      return;
    }
    const number = (n) => n.toLocaleString("en");
    output.textContent =
      `${number(data.count)} contact(s) match; ${number(data.reachable)} can be written to ` +
      "(the others are marked do-not-contact).";
    const body = sample.querySelector("tbody");
    body.replaceChildren();
    data.sample.forEach((contact) => {
      const row = element("tr");
      const name = element("td");
      name.append(element("a", { href: contact.url }, contact.name));
      row.append(
        name,
        element("td", {}, contact.email),
        element("td", {}, contact.outlet),
        element("td", {}, contact.country),
      );
      body.append(row);
    });
    sample.hidden = data.sample.length === 0;
  }

  root.querySelector(".segment-add-group").addEventListener("click", () => {
    rules.groups.push(newGroup());
    render();
    changed();
  });
  root.hidden = false;
  const rulesRow = field.closest(".form-row");
  // The JSON stays in view when it was refused, beside its error.
  if (rulesRow && !rulesRow.classList.contains("errors")) rulesRow.hidden = true;
  render();
  field.value = JSON.stringify(rules);
  if (ready()) count();
})();
