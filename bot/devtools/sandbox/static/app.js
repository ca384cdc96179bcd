// ideabot sandbox: the page side. No framework, no build step.
// Everything the bot or a person wrote is put into the page as text nodes; the only
// elements made from a message are the few Telegram formatting tags (see render.py).
"use strict";

(() => {
  const ALLOWED = { b: "b", i: "i", u: "u", s: "s", code: "code", pre: "pre", a: "a" };
  const SAFE_LINK = /^(https?:\/\/|tg:\/\/)/i;
  const RETRY_MAX_MS = 5000;

  const $ = (id) => document.getElementById(id);
  const state = {
    config: null,
    texts: {},
    locale: localStorage.getItem("ideabot.locale") || "fa",
    flavour: localStorage.getItem("ideabot.flavour") || "telegram",
    person: localStorage.getItem("ideabot.person") || "citizen",
    since: 0,
    version: "",
    generation: null,
    counts: {},
    seen: {},
    keyboard: null,
    pollId: 0,
    controller: null,
  };

  const t = (key) => state.texts[key] || key;
  const chatKey = () => `${state.flavour}/${state.person}`;

  function toast(text) {
    const box = $("toast");
    box.textContent = text;
    box.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { box.hidden = true; }, 3000);
  }

  async function api(path, body) {
    const options = body instanceof FormData
      ? { method: "POST", body }
      : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
    const response = await fetch(path, options);
    const data = await response.json().catch(() => ({ ok: false }));
    if (!response.ok || !data.ok) {
      toast(data.description || t("error"));
      throw new Error(data.description || response.statusText);
    }
    return data;
  }

  const who = () => ({ flavour: state.flavour, person: state.person });

  // ----- page words and direction -----
  async function loadConfig(locale) {
    const response = await fetch(`/api/config?locale=${encodeURIComponent(locale)}`);
    const config = await response.json();
    state.config = config;
    state.texts = config.texts;
    state.locale = config.locale;
    localStorage.setItem("ideabot.locale", state.locale);
    document.documentElement.lang = state.locale;
    document.documentElement.dir = state.locale === "fa" ? "rtl" : "ltr";
    document.title = t("title");
    for (const node of document.querySelectorAll("[data-text]")) node.textContent = t(node.dataset.text);
    for (const node of document.querySelectorAll("[data-title]")) node.title = t(node.dataset.title);
    for (const node of document.querySelectorAll("[data-placeholder]")) node.placeholder = t(node.dataset.placeholder);
    for (const button of document.querySelectorAll("button.locale")) {
      button.setAttribute("aria-pressed", String(button.dataset.locale === state.locale));
    }
    if (!config.people.some((p) => p.key === state.person)) state.person = config.people[0].key;
    if (!config.flavours.includes(state.flavour)) state.flavour = config.flavours[0];
    drawPeople();
    drawHeader();
  }

  function drawPeople() {
    const list = $("people");
    list.replaceChildren();
    for (const person of state.config.people) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "person";
      button.dataset.person = person.key;
      button.setAttribute("aria-current", String(person.key === state.person));
      const avatar = document.createElement("span");
      avatar.className = "avatar";
      avatar.textContent = person.staff ? "🛡️" : person.name.slice(0, 1);
      const text = document.createElement("span");
      text.className = "person-text";
      const name = document.createElement("span");
      name.className = "person-name";
      name.textContent = person.name;
      const role = document.createElement("span");
      role.className = "person-role";
      role.textContent = t(`person_${person.key}`);
      text.append(name, role);
      const badge = document.createElement("span");
      badge.className = "badge";
      badge.hidden = true;
      button.append(avatar, text, badge);
      button.addEventListener("click", () => switchChat(state.flavour, person.key));
      item.append(button);
      list.append(item);
    }
    drawBadges();
  }

  function drawHeader() {
    document.body.dataset.flavour = state.flavour;
    for (const button of document.querySelectorAll("button.flavour")) {
      button.setAttribute("aria-pressed", String(button.dataset.flavour === state.flavour));
    }
    const person = state.config.people.find((p) => p.key === state.person);
    $("chat-name").textContent = `ideabot · ${t(state.flavour)}`;
    $("chat-sub").textContent = `${person.name} · ${t(`person_${person.key}`)}`;
  }

  function unread(key) {
    return Math.max(0, (state.counts[key] || 0) - (state.seen[key] || 0));
  }

  function setBadge(badge, count) {
    badge.hidden = count === 0;
    badge.textContent = count ? count.toLocaleString(state.locale === "fa" ? "fa-IR" : "en") : "";
  }

  function drawBadges() {
    state.seen[chatKey()] = state.counts[chatKey()] || 0;
    for (const button of document.querySelectorAll("button.person")) {
      setBadge(button.querySelector(".badge"), unread(`${state.flavour}/${button.dataset.person}`));
    }
    for (const button of document.querySelectorAll("button.flavour")) {
      const flavour = button.dataset.flavour;
      const total = state.config.people.reduce((sum, p) => sum + unread(`${flavour}/${p.key}`), 0);
      setBadge(button.querySelector(".badge"), flavour === state.flavour ? 0 : total);
    }
  }

  // ----- messages -----
  // Both messengers' clients make an address in a text a link (the console's sign-in
  // link, say); only http(s), opened apart from the page.
  const BARE_URL = /https?:\/\/[^\s<>"]+/g;
  function appendText(parent, text) {
    let last = 0;
    for (const found of text.matchAll(BARE_URL)) {
      parent.append(document.createTextNode(text.slice(last, found.index)));
      const link = document.createElement("a");
      link.href = found[0];
      link.textContent = found[0];
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      parent.append(link);
      last = found.index + found[0].length;
    }
    parent.append(document.createTextNode(text.slice(last)));
  }

  function appendNodes(parent, nodes) {
    for (const node of nodes) {
      if (typeof node === "string") {
        if (parent.tagName === "A") parent.append(document.createTextNode(node));
        else appendText(parent, node);
        continue;
      }
      const tag = ALLOWED[node.t];
      if (!tag) {
        appendNodes(parent, node.c || []);
        continue;
      }
      const element = document.createElement(tag);
      if (tag === "a" && typeof node.href === "string" && SAFE_LINK.test(node.href)) {
        element.href = node.href;
        element.target = "_blank";
        element.rel = "noopener noreferrer";
      }
      appendNodes(element, node.c || []);
      parent.append(element);
    }
  }

  function fileUrl(fileId) {
    return `/api/file/${encodeURIComponent(state.flavour)}/${encodeURIComponent(fileId)}`;
  }

  function time(seconds) {
    const date = seconds ? new Date(seconds * 1000) : new Date();
    return date.toLocaleTimeString(state.locale === "fa" ? "fa-IR" : "en-GB", {
      hour: "2-digit", minute: "2-digit", timeZone: "Asia/Tehran",
    });
  }

  function fillBubble(bubble, item) {
    bubble.replaceChildren();
    if (item.file && item.kind === "photo") {
      const image = document.createElement("img");
      image.src = fileUrl(item.file);
      image.alt = item.name || "";
      bubble.append(image);
    } else if (item.file) {
      const link = document.createElement("a");
      link.className = "file";
      link.href = fileUrl(item.file);
      link.download = item.name || "";
      link.textContent = `📎 ${item.name || t("download")}`;
      bubble.append(link);
    }
    const body = document.createElement("div");
    body.className = "body";
    if (item.kind === "contact") body.textContent = `📞 ${t("contact")}: ${item.text}`;
    else if (item.kind === "location") body.textContent = `📍 ${t("location")}: ${item.latitude}, ${item.longitude}`;
    else if (item.html) appendNodes(body, item.html);
    else appendText(body, item.text || "");
    if (body.textContent) bubble.append(body);
    if (item.inline && item.inline.length) bubble.append(inlineKeyboard(item));
    const meta = document.createElement("div");
    meta.className = "meta";
    if (item.edits) {
      const edited = document.createElement("span");
      edited.className = "edited";
      edited.textContent = t("edited");
      meta.append(edited);
    }
    const clock = document.createElement("span");
    clock.textContent = time(item.date);
    meta.append(clock);
    bubble.append(meta);
  }

  function inlineKeyboard(item) {
    const box = document.createElement("div");
    box.className = "inline";
    for (const row of item.inline) {
      const line = document.createElement("div");
      line.className = "row";
      for (const button of row) {
        let control;
        if (button.callback_data) {
          control = document.createElement("button");
          control.type = "button";
          control.addEventListener("click", () => {
            api("/api/press", { ...who(), message_id: item.message_id, data: button.callback_data })
              .catch(() => {});
          });
        } else if (button.url && /^https?:\/\//i.test(button.url)) {
          control = document.createElement("a");
          control.href = button.url;
          control.target = "_blank";
          control.rel = "noopener noreferrer";
        } else {
          control = document.createElement("button");
          control.type = "button";
          control.disabled = true;
        }
        control.textContent = button.text;
        line.append(control);
      }
      box.append(line);
    }
    return box;
  }

  function applyItem(item) {
    const list = $("messages");
    if (item.from === "bot" && item.event === "edit") {
      const bubble = list.querySelector(`[data-message-id="${Number(item.message_id)}"]`);
      if (bubble) fillBubble(bubble, item);
      return;
    }
    const bubble = document.createElement("div");
    bubble.className = `bubble ${item.from === "bot" ? "in" : "out"}`;
    if (item.from === "bot") bubble.dataset.messageId = String(item.message_id);
    fillBubble(bubble, item);
    list.append(bubble);
    if (item.from === "bot" && item.keyboard) {
      state.keyboard = item.keyboard.remove ? null : item.keyboard;
      drawKeyboard();
    }
  }

  function drawKeyboard() {
    const box = $("keyboard");
    box.replaceChildren();
    box.hidden = !state.keyboard;
    $("text").placeholder = (state.keyboard && state.keyboard.placeholder) || t("message");
    if (!state.keyboard) return;
    for (const row of state.keyboard.rows) {
      const line = document.createElement("div");
      line.className = "row";
      for (const button of row) {
        const control = document.createElement("button");
        control.type = "button";
        control.textContent = button.text;
        if (button.request) control.classList.add("request");
        control.addEventListener("click", () => tapReplyButton(button));
        line.append(control);
      }
      box.append(line);
    }
  }

  function tapReplyButton(button) {
    if (button.request === "contact") return openContact();
    if (button.request === "location") return openLocation();
    if (state.keyboard && state.keyboard.one_time) {
      state.keyboard = null;
      drawKeyboard();
    }
    return sendText(button.text);
  }

  function drawEmpty() {
    $("empty").hidden = $("messages").childElementCount > 0;
  }

  function scrollDown() {
    const list = $("messages");
    list.scrollTop = list.scrollHeight;
  }

  // ----- the long poll -----
  function switchChat(flavour, person) {
    state.flavour = flavour;
    state.person = person;
    localStorage.setItem("ideabot.flavour", flavour);
    localStorage.setItem("ideabot.person", person);
    for (const button of document.querySelectorAll("button.person")) {
      button.setAttribute("aria-current", String(button.dataset.person === person));
    }
    $("messages").replaceChildren();
    $("commands").hidden = true;
    $("attach-menu").hidden = true;
    state.keyboard = null;
    state.since = 0;
    state.version = "";
    drawKeyboard();
    drawHeader();
    drawBadges();
    drawEmpty();
    restartPoll();
  }

  function restartPoll() {
    state.pollId += 1;
    if (state.controller) state.controller.abort();
    state.controller = new AbortController();
    poll(state.pollId, state.controller.signal);
  }

  async function poll(id, signal) {
    let failures = 0;
    while (id === state.pollId) {
      const url = `/api/chat/${encodeURIComponent(state.flavour)}/${encodeURIComponent(state.person)}`
        + `?since=${state.since}&version=${encodeURIComponent(state.version)}`
        + `&generation=${state.generation === null ? "" : state.generation}`;
      try {
        const response = await fetch(url, { signal, cache: "no-store" });
        if (!response.ok) throw new Error(response.statusText);
        const data = await response.json();
        if (id !== state.pollId) return;
        if (state.generation !== null && data.generation !== state.generation) {
          state.seen = {};
          $("messages").replaceChildren();
          state.keyboard = null;
          drawKeyboard();
        }
        state.generation = data.generation;
        if (data.since !== state.since) $("messages").replaceChildren();
        for (const item of data.items) applyItem(item);
        if (data.items.length) scrollDown();
        state.since = data.next;
        state.version = data.version;
        state.counts = data.counts;
        drawBadges();
        drawEmpty();
        failures = 0;
      } catch (error) {
        if (signal.aborted || id !== state.pollId) return;
        failures += 1;
        if (failures === 3) toast(t("error"));
        await new Promise((resolve) => { setTimeout(resolve, Math.min(500 * failures, RETRY_MAX_MS)); });
      }
    }
  }

  // ----- what the person does -----
  function sendText(text) {
    return api("/api/send", { ...who(), text }).catch(() => {});
  }

  function openContact() {
    const person = state.config.people.find((p) => p.key === state.person);
    $("contact-phone").value = person.phone;
    $("contact-dialog").showModal();
  }

  function openLocation() {
    $("location-latitude").value = String(state.config.location.latitude);
    $("location-longitude").value = String(state.config.location.longitude);
    $("location-dialog").showModal();
  }

  async function showCommands() {
    const box = $("commands");
    if (!box.hidden) {
      box.hidden = true;
      return;
    }
    const response = await fetch(`/api/commands/${encodeURIComponent(state.flavour)}/${encodeURIComponent(state.person)}`);
    const data = await response.json();
    box.replaceChildren();
    if (!data.commands || !data.commands.length) {
      const note = document.createElement("p");
      note.textContent = t("no_commands");
      box.append(note);
    }
    for (const entry of data.commands || []) {
      const button = document.createElement("button");
      button.type = "button";
      const command = document.createElement("span");
      command.className = "command";
      command.textContent = `/${entry.command}`;
      const description = document.createElement("span");
      description.textContent = entry.description;
      button.append(command, description);
      button.addEventListener("click", () => {
        box.hidden = true;
        sendText(`/${entry.command}`);
      });
      box.append(button);
    }
    box.hidden = false;
  }

  function wire() {
    for (const button of document.querySelectorAll("button.flavour")) {
      button.addEventListener("click", () => switchChat(button.dataset.flavour, state.person));
    }
    for (const button of document.querySelectorAll("button.locale")) {
      button.addEventListener("click", () => loadConfig(button.dataset.locale).then(drawKeyboard));
    }
    for (const button of document.querySelectorAll("dialog .cancel")) {
      button.addEventListener("click", () => button.closest("dialog").close());
    }
    $("composer").addEventListener("submit", (event) => {
      event.preventDefault();
      const input = $("text");
      const text = input.value;
      if (!text.trim()) return;
      input.value = "";
      sendText(text);
    });
    $("start").addEventListener("click", () => sendText("/start"));
    $("menu").addEventListener("click", () => {
      $("attach-menu").hidden = true;
      showCommands().catch(() => toast(t("error")));
    });
    // As in the messengers' own attach menus: a file, any location, one's own contact.
    $("attach").addEventListener("click", () => {
      $("commands").hidden = true;
      $("attach-menu").hidden = !$("attach-menu").hidden;
    });
    const fromAttachMenu = (open) => () => {
      $("attach-menu").hidden = true;
      open();
    };
    $("attach-file").addEventListener("click", fromAttachMenu(() => $("file").click()));
    $("attach-location").addEventListener("click", fromAttachMenu(openLocation));
    $("attach-contact").addEventListener("click", fromAttachMenu(openContact));
    $("reset").addEventListener("click", async () => {
      if (!window.confirm(t("reset_confirm"))) return;
      $("reset").disabled = true;
      try {
        await api("/api/reset", {});
        toast(t("reset_done"));
      } catch (error) {
        // the toast already says so
      } finally {
        $("reset").disabled = false;
      }
    });
    $("contact-send").addEventListener("click", () => {
      $("contact-dialog").close();
      api("/api/contact", { ...who(), phone: $("contact-phone").value }).catch(() => {});
    });
    $("location-send").addEventListener("click", () => {
      $("location-dialog").close();
      api("/api/location", {
        ...who(),
        latitude: $("location-latitude").value,
        longitude: $("location-longitude").value,
      }).catch(() => {});
    });
    $("file").addEventListener("change", () => {
      const file = $("file").files[0];
      if (!file) return;
      $("file-name").textContent = file.name;
      $("file-caption").value = "";
      // Photos take a caption; other files go as documents, without one.
      $("file-caption").closest("label").hidden = !file.type.startsWith("image/");
      $("file-dialog").showModal();
    });
    $("file-dialog").addEventListener("close", () => { $("file").value = ""; });
    $("file-send").addEventListener("click", () => {
      const file = $("file").files[0];
      const form = new FormData();
      form.append("flavour", state.flavour);
      form.append("person", state.person);
      form.append("caption", $("file-caption").value);
      form.append("file", file);
      $("file-dialog").close();
      api("/api/upload", form).catch(() => {});
    });
  }

  async function main() {
    wire();
    await loadConfig(state.locale);
    switchChat(state.flavour, state.person);
  }

  main().catch(() => toast(t("error")));
})();
