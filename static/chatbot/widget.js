/*! Helpdesk chat widget. Embed with one tag:
 *  <script src="https://desk.example/static/chatbot/widget.js" data-key="KEY" async></script>
 * Optional: data-lang="fi"; a signed-in visitor: data-user-id, data-user-email, data-user-name and
 * data-user-signature (hex HMAC-SHA256 of "<id>\n<email>" with the widget's identity secret,
 * computed by the host's server). No framework, no inline script, no eval; styles live in a shadow root
 * (a constructable stylesheet, so a strict host style-src does not block them). The conversation
 * token is kept in localStorage for this browser only and is sent in a header, never in a URL. */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[src*='chatbot/widget.js'][data-key]");
  if (!script || !window.fetch || !document.body || !document.body.attachShadow) return;
  var KEY = script.getAttribute("data-key") || "";
  var BASE = new URL(script.src, location.href).origin;
  var API = BASE + "/api/v1/chat/";
  var STORE = "helpdesk-chat:" + KEY;
  var flag = "__helpdeskChat_" + KEY;
  if (!KEY || window[flag]) return;
  window[flag] = 1;

  var T = {
    en: {
      open: "Chat with us", title: "Customer support", close: "Close chat", msg: "Message",
      ph: "Type your message…", send: "Send", human: "Talk to a person",
      email: "Your email address", emailAsk: "Our team will reply to you by email and here in the chat. Leave your email address:",
      ticket: "Reference {r}. Our team will reply here.", you: "You", bot: "Assistant",
      agent: "Support agent", system: "Note", arts: "Suggested articles", tab: "(opens in a new tab)",
      net: "We couldn't reach the chat. Check your connection and try again.",
      e429: "Too many messages in a short time. Please wait a moment and try again.",
      e403: "Chat isn't available on this website.", err: "Something went wrong. Please try again.",
      bad: "Please enter a valid email address.", unread: "new message", restart: "Start a new conversation",
      wait: "Connecting…", rate: "Was this conversation helpful?", good: "Yes", badr: "No",
      note: "Comment (optional)", noteSend: "Send comment", thanks: "Thank you for your feedback!"
    },
    fi: {
      open: "Keskustele kanssamme", title: "Asiakastuki", close: "Sulje keskustelu", msg: "Viesti",
      ph: "Kirjoita viestisi…", send: "Lähetä", human: "Puhu ihmisen kanssa",
      email: "Sähköpostiosoitteesi", emailAsk: "Tiimimme vastaa sinulle sähköpostitse ja täällä keskustelussa. Jätä sähköpostiosoitteesi:",
      ticket: "Viite {r}. Tiimimme vastaa tänne.", you: "Sinä", bot: "Avustaja",
      agent: "Asiakaspalvelija", system: "Huomio", arts: "Ehdotetut artikkelit", tab: "(avautuu uuteen välilehteen)",
      net: "Yhteys keskusteluun ei onnistunut. Tarkista verkkoyhteys ja yritä uudelleen.",
      e429: "Liian monta viestiä lyhyessä ajassa. Odota hetki ja yritä uudelleen.",
      e403: "Keskustelu ei ole käytettävissä tällä sivustolla.", err: "Jokin meni vikaan. Yritä uudelleen.",
      bad: "Anna kelvollinen sähköpostiosoite.", unread: "uusi viesti", restart: "Aloita uusi keskustelu",
      wait: "Yhdistetään…", rate: "Oliko tästä keskustelusta apua?", good: "Kyllä", badr: "Ei",
      note: "Kommentti (vapaaehtoinen)", noteSend: "Lähetä kommentti", thanks: "Kiitos palautteestasi!"
    },
    ar: {
      open: "تحدث معنا", title: "دعم العملاء", close: "إغلاق المحادثة", msg: "الرسالة",
      ph: "اكتب رسالتك…", send: "إرسال", human: "التحدث مع موظف",
      email: "بريدك الإلكتروني", emailAsk: "سيرد فريقنا عليك عبر البريد الإلكتروني وهنا في المحادثة. اترك بريدك الإلكتروني:",
      ticket: "المرجع {r}. سيرد فريقنا هنا.", you: "أنت", bot: "المساعد",
      agent: "موظف الدعم", system: "ملاحظة", arts: "مقالات مقترحة", tab: "(يفتح في علامة تبويب جديدة)",
      net: "تعذر الاتصال بالمحادثة. تحقق من اتصالك وحاول مرة أخرى.",
      e429: "رسائل كثيرة في وقت قصير. يرجى الانتظار قليلًا ثم المحاولة مرة أخرى.",
      e403: "المحادثة غير متاحة على هذا الموقع.", err: "حدث خطأ ما. يرجى المحاولة مرة أخرى.",
      bad: "يرجى إدخال بريد إلكتروني صالح.", unread: "رسالة جديدة", restart: "بدء محادثة جديدة",
      wait: "جارٍ الاتصال…", rate: "هل كانت هذه المحادثة مفيدة؟", good: "نعم", badr: "لا",
      note: "تعليق (اختياري)", noteSend: "إرسال التعليق", thanks: "شكرًا على ملاحظاتك!"
    },
    "zh-hans": {
      open: "在线咨询", title: "客户支持", close: "关闭对话", msg: "消息",
      ph: "请输入消息…", send: "发送", human: "转人工客服",
      email: "您的电子邮箱", emailAsk: "我们的团队会通过邮件并在此对话中回复您。请留下您的电子邮箱：",
      ticket: "参考编号 {r}。我们的团队会在这里回复您。", you: "您", bot: "智能助手",
      agent: "客服人员", system: "提示", arts: "推荐文章", tab: "（在新标签页中打开）",
      net: "无法连接到在线咨询，请检查网络后重试。",
      e429: "消息发送过于频繁，请稍候再试。",
      e403: "此网站无法使用在线咨询。", err: "出现问题，请重试。",
      bad: "请输入有效的电子邮箱地址。", unread: "新消息", restart: "开始新的对话",
      wait: "正在连接…", rate: "这次对话对您有帮助吗？", good: "有帮助", badr: "没有帮助",
      note: "评论（可选）", noteSend: "发送评论", thanks: "感谢您的反馈！"
    }
  };

  function pickLang(raw) {
    var l = String(raw || "").trim().toLowerCase().replace(/_/g, "-");
    if (!l) return "";
    if (l.indexOf("zh") === 0) return "zh-hans";
    if (T[l]) return l;
    l = l.split("-")[0];
    return T[l] ? l : "";
  }
  var LANG = pickLang(script.getAttribute("data-lang")) || pickLang(document.documentElement.lang) ||
    pickLang(navigator.language) || "en";
  var L = T[LANG];
  var DIR = LANG === "ar" ? "rtl" : "ltr";

  var CSS =
    ":host{all:initial}" +
    ".w{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','Noto Sans Arabic',sans-serif;color:#1f2933;" +
    "position:fixed;inset-block-end:20px;inset-inline-end:20px;z-index:2147483000;display:flex;flex-direction:column;align-items:flex-end;gap:12px}" +
    "*{box-sizing:border-box}[hidden]{display:none!important}" +
    "button,input{font:inherit;color:inherit}" +
    ":focus-visible{outline:3px solid #f59e0b;outline-offset:2px}" +
    ".sr{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}" +
    ".l{border:0;border-radius:999px;background:#1d4ed8;color:#fff;padding:12px 20px;font-weight:600;cursor:pointer;" +
    "box-shadow:0 4px 14px rgba(0,0,0,.25);display:inline-flex;align-items:center;gap:8px}" +
    ".l:hover{background:#1e40af}.l svg{width:20px;height:20px;fill:currentColor}" +
    ".l .dot{width:10px;height:10px;border-radius:50%;background:#f59e0b}" +
    ".p{width:min(380px,calc(100vw - 24px));height:min(600px,calc(100vh - 100px));background:#fff;border-radius:14px;" +
    "box-shadow:0 10px 40px rgba(0,0,0,.3);display:flex;flex-direction:column;overflow:hidden;border:1px solid #cbd2d9}" +
    "@media (prefers-reduced-motion:no-preference){.p{animation:in .18s ease-out}}" +
    "@keyframes in{from{opacity:0;transform:translateY(12px)}}" +
    ".h{background:#1d4ed8;color:#fff;display:flex;align-items:center;justify-content:space-between;padding:10px 12px 10px 16px;padding-inline:16px 8px}" +
    ".h h2{margin:0;font-size:17px;font-weight:600}" +
    ".x{border:0;background:transparent;color:#fff;width:40px;height:40px;border-radius:8px;cursor:pointer;font-size:24px;line-height:1}" +
    ".x:hover{background:rgba(255,255,255,.15)}.x:focus-visible{outline-color:#fde68a}" +
    ".g{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:10px;background:#f5f7fa}" +
    ".m{max-width:85%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;border:1px solid #d9e2ec;align-self:flex-start}" +
    ".m.customer{align-self:flex-end;background:#1d4ed8;color:#fff;border-color:#1d4ed8}" +
    ".m.agent{border-color:#047857;border-inline-start:4px solid #047857}" +
    ".m.system{align-self:stretch;max-width:none;background:#fffbeb;border-color:#f59e0b;font-size:14px}" +
    ".who{display:block;font-size:12px;font-weight:600;color:#52606d}.customer .who{color:#dbeafe}" +
    ".m ul{margin:6px 0 0;padding-inline-start:18px;white-space:normal}.m a{color:#1d4ed8}" +
    ".q{display:flex;flex-wrap:wrap;gap:6px}" +
    ".q button,.hu{border:1px solid #1d4ed8;background:#fff;color:#1d4ed8;border-radius:999px;padding:6px 12px;cursor:pointer;font-size:14px}" +
    ".q button:hover,.hu:hover{background:#eff6ff}" +
    ".s{margin:0;padding:8px 14px;font-size:14px;background:#ecfdf5;color:#065f46;border-block-start:1px solid #a7f3d0}" +
    ".e{margin:0;padding:8px 14px;font-size:14px;background:#fef2f2;color:#991b1b;border-block-start:1px solid #fecaca}" +
    ".f{display:flex;gap:8px;padding:10px 12px;border-block-start:1px solid #d9e2ec;background:#fff;flex-wrap:wrap;align-items:flex-end}" +
    ".f p{margin:0;flex-basis:100%;font-size:14px}.f label{flex-basis:100%;font-size:14px;font-weight:600}" +
    ".f input{flex:1;min-width:0;border:1px solid #7b8794;border-radius:8px;padding:8px 10px;background:#fff}" +
    ".f .go{border:0;border-radius:8px;background:#1d4ed8;color:#fff;padding:8px 14px;font-weight:600;cursor:pointer}" +
    ".f .go:disabled{opacity:.6;cursor:progress}" +
    ".r{padding:8px 12px;border-block-start:1px solid #d9e2ec;background:#fff;font-size:14px}" +
    ".r fieldset{border:0;margin:0;padding:0}.r legend{font-weight:600;padding:0;margin-block-end:6px}" +
    ".r .hu[aria-pressed=true]{background:#1d4ed8;color:#fff}.r p{margin:6px 0 0}" +
    ".r label{display:block;margin-block-start:6px}.r textarea{display:block;width:100%;border:1px solid #7b8794;border-radius:8px;padding:6px 8px;font:inherit;margin-block:4px 6px}" +
    ".ft{padding:0 12px 10px;background:#fff;display:flex;justify-content:center}" +
    "@media (max-width:480px){.w{inset-block-end:12px;inset-inline-end:12px}.p{height:calc(100vh - 90px)}}";

  // ---- storage (may be blocked; then the chat lasts only this page) ----------------------------
  var memory = null;
  function load() {
    try { return JSON.parse(localStorage.getItem(STORE) || "null"); } catch (e) { return memory; }
  }
  function save(v) {
    memory = v;
    try { if (v) localStorage.setItem(STORE, JSON.stringify(v)); else localStorage.removeItem(STORE); } catch (e) { /* private mode */ }
  }

  // ---- DOM helpers ----------------------------------------------------------------------------
  function h(tag, attrs, kids) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) {
      var v = attrs[k];
      if (k === "text") e.textContent = v;
      else if (k.slice(0, 2) === "on") e.addEventListener(k.slice(2), v);
      else if (v === true) e.setAttribute(k, "");
      else if (v != null && v !== false) e.setAttribute(k, v);
    }
    (kids || []).forEach(function (c) { if (c) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return e;
  }

  var host = h("div", { "data-helpdesk-chat": KEY, dir: DIR, lang: LANG });
  var root = host.attachShadow({ mode: "open" });
  if (root.adoptedStyleSheets && window.CSSStyleSheet) {
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } catch (e) { root.appendChild(h("style", { text: CSS })); }
  } else root.appendChild(h("style", { text: CSS }));

  var icon = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  icon.setAttribute("viewBox", "0 0 24 24");
  icon.setAttribute("aria-hidden", "true");
  icon.setAttribute("focusable", "false");
  var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2z");
  icon.appendChild(path);

  var unread = h("span", { class: "dot", hidden: true }, [h("span", { class: "sr", text: L.unread })]);
  var launcher = h("button", { type: "button", class: "l", "aria-expanded": "false", "aria-controls": "hc-panel", onclick: toggle },
    [icon, h("span", { text: L.open }), unread]);
  var log = h("div", { class: "g", role: "log", "aria-live": "polite", "aria-labelledby": "hc-title", tabindex: "0" });
  var status = h("p", { class: "s", role: "status", hidden: true });
  var error = h("p", { class: "e", role: "alert", hidden: true });
  var input = h("input", { id: "hc-msg", type: "text", maxlength: "2000", autocomplete: "off", placeholder: L.ph });
  var sendBtn = h("button", { type: "submit", class: "go", text: L.send });
  var compose = h("form", { class: "f", onsubmit: onSend },
    [h("label", { for: "hc-msg", class: "sr", text: L.msg }), input, sendBtn]);
  var emailIn = h("input", { id: "hc-email", "aria-describedby": "hc-email-help", type: "email", autocomplete: "email", required: true, maxlength: "254" });
  var emailBtn = h("button", { type: "submit", class: "go", "aria-label": L.send + " – " + L.email, text: L.send });
  var emailForm = h("form", { class: "f", hidden: true, onsubmit: onEmail },
    [h("p", { id: "hc-email-help", text: L.emailAsk }), h("label", { for: "hc-email", text: L.email }), emailIn, emailBtn]);
  var rateGood = h("button", { type: "button", class: "hu", "aria-pressed": "false", onclick: function () { rate("good"); }, text: L.good });
  var rateBad = h("button", { type: "button", class: "hu", "aria-pressed": "false", onclick: function () { rate("bad"); }, text: L.badr });
  var noteIn = h("textarea", { id: "hc-note", rows: "2", maxlength: "2000" });
  var noteBox = h("div", { hidden: true }, [h("label", { for: "hc-note", text: L.note }), noteIn,
    h("button", { type: "submit", class: "hu", text: L.noteSend })]);
  var thanks = h("p", { "aria-live": "polite" });
  var rateForm = h("form", { class: "r", hidden: true, onsubmit: onNote }, [
    h("fieldset", {}, [h("legend", { text: L.rate }), h("div", { class: "q" }, [rateGood, rateBad])]), noteBox, thanks]);
  var humanBtn = h("button", { type: "button", class: "hu", onclick: onHuman, text: L.human });
  var restartBtn = h("button", { type: "button", class: "hu", hidden: true, onclick: restart, text: L.restart });
  var panel = h("div", { id: "hc-panel", class: "p", role: "dialog", "aria-labelledby": "hc-title", hidden: true, onkeydown: onKey }, [
    h("div", { class: "h" }, [
      h("h2", { id: "hc-title", text: L.title }),
      h("button", { type: "button", class: "x", "aria-label": L.close, onclick: close, text: "×" })
    ]),
    log, status, error, rateForm, emailForm, compose, h("div", { class: "ft" }, [humanBtn, restartBtn])
  ]);
  root.appendChild(h("div", { class: "w", dir: DIR, lang: LANG }, [panel, launcher]));
  document.body.appendChild(host);

  // ---- state ----------------------------------------------------------------------------------
  var conv = load();           // {id, token}
  var lastId = 0, etag = "", isOpen = false, busy = false, timer = 0, noConditional = false;
  var chatStatus = "bot", ticketRef = null, needsEmail = false, seen = {};

  // ---- API ------------------------------------------------------------------------------------
  function Failure(kind, detail) { this.kind = kind; this.detail = detail; }

  function call(path, body, extra) {
    var headers = { Accept: "application/json" };
    if (body) headers["Content-Type"] = "application/json";
    if (conv && conv.token) headers["X-Chat-Token"] = conv.token;
    for (var k in extra || {}) headers[k] = extra[k];
    var sep = path.indexOf("?") < 0 ? "?" : "&";
    return fetch(API + path + sep + "key=" + encodeURIComponent(KEY), {
      method: body ? "POST" : "GET", headers: headers, body: body ? JSON.stringify(body) : undefined,
      mode: "cors", credentials: "omit", referrerPolicy: "strict-origin-when-cross-origin"
    }).catch(function () { throw new Failure("net"); }).then(function (r) {
      if (r.status === 304 || r.status === 204) return { status: r.status, body: null, etag: r.headers.get("ETag") };
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (r.ok) return { status: r.status, body: data, etag: r.headers.get("ETag") };
        throw new Failure(r.status, data && data.detail);
      });
    });
  }

  function showError(f) {
    var text = !(f instanceof Failure) ? L.err : f.kind === "net" ? L.net : f.kind === 429 ? L.e429 :
      f.kind === 403 ? L.e403 : (f.kind === 400 && f.detail) ? String(f.detail) : L.err;
    error.textContent = text;
    error.hidden = false;
  }
  function clearError() { error.hidden = true; error.textContent = ""; }

  // ---- rendering ------------------------------------------------------------------------------
  function render(messages) {
    var fresh = false;
    (messages || []).forEach(function (m) {
      if (seen[m.id]) return;
      seen[m.id] = 1;
      lastId = Math.max(lastId, m.id);
      var who = { customer: L.you, bot: L.bot, agent: L.agent, system: L.system }[m.author] || L.system;
      var node = h("div", { class: "m " + (m.author || "system") }, [h("span", { class: "who", text: who + ":" }), m.text]);
      if (m.articles && m.articles.length) {
        node.appendChild(h("ul", { "aria-label": L.arts }, m.articles.map(function (a) {
          var url;
          try { url = new URL(a.url, BASE); } catch (e) { return null; }
          if (!/^https?:$/.test(url.protocol)) return null;
          return h("li", {}, [h("a", { href: url.href, target: "_blank", rel: "noopener noreferrer",
            onclick: function () { opened(a.id); } }, [a.title, h("span", { class: "sr", text: " " + L.tab })])]);
        })));
      }
      log.appendChild(node);
      if (m.author === "agent") fresh = true;
      // Only the newest message keeps its quick replies.
      var old = log.querySelector(".q");
      if (old) old.remove();
      if (m.quick_replies && m.quick_replies.length) {
        log.appendChild(h("div", { class: "q" }, m.quick_replies.map(function (q) {
          return h("button", { type: "button", text: q.label, onclick: function () { send(q.label); } });
        })));
      }
    });
    log.scrollTop = log.scrollHeight;
    if (fresh && !isOpen) unread.hidden = false;
  }

  function update(body) {
    if (!body) return;
    render(body.messages);
    if (body.status) chatStatus = body.status;
    if (body.ticket_reference) ticketRef = body.ticket_reference;
    var was = needsEmail;
    needsEmail = !!body.needs_email && !ticketRef;
    emailForm.hidden = !needsEmail;
    if (needsEmail && !was && isOpen) emailIn.focus();
    refresh();
    log.scrollTop = log.scrollHeight;
  }

  function refresh() {
    if (ticketRef) {
      status.textContent = L.ticket.replace("{r}", ticketRef);
      status.hidden = false;
      emailForm.hidden = true;
    }
    var closed = chatStatus === "closed";
    showRating();
    humanBtn.hidden = closed;
    restartBtn.hidden = !closed;
    compose.hidden = closed;
    schedule();
  }

  // The host's signed identity of a signed-in visitor; the server checks the signature.
  function identity() {
    var a = function (n) { return script.getAttribute("data-user-" + n) || ""; };
    if (!a("email") || !a("signature")) return null;
    return { user_id: a("id"), email: a("email"), name: a("name"), signature: a("signature") };
  }

  // ---- actions --------------------------------------------------------------------------------
  function ensure() {
    if (conv && conv.token) return Promise.resolve();
    log.setAttribute("aria-busy", "true");
    return call("start", { key: KEY, lang: LANG, page_url: location.href.slice(0, 2000), referrer: document.referrer.slice(0, 2000), identity: identity() })
      .then(function (r) {
        conv = { id: r.body.conversation_id, token: r.body.token };
        save(conv);
        update(r.body);
      }).finally(function () { log.removeAttribute("aria-busy"); });
  }

  function lost(f) {
    // The stored conversation is gone (deleted or never existed here): start afresh next time.
    if (f instanceof Failure && (f.kind === 404 || f.kind === 401)) { save(null); conv = null; reset(); }
  }

  function send(text) {
    text = String(text || "").trim();
    if (!text || busy) return Promise.resolve();
    busy = true;
    sendBtn.disabled = true;
    clearError();
    return ensure().then(function () { return call("messages", { text: text }); }).then(function (r) {
      if (input.value.trim() === text) input.value = "";
      update(r.body);
    }).catch(function (f) {
      lost(f);
      showError(f);
      if (f instanceof Failure && f.kind === 400) poll();
    }).finally(function () { busy = false; sendBtn.disabled = false; });
  }

  function onSend(ev) { ev.preventDefault(); send(input.value); }

  function escalate(email) {
    clearError();
    return ensure().then(function () { return call("escalate", email ? { email: email } : {}); }).then(function (r) {
      ticketRef = r.body.ticket_reference;
      needsEmail = false;
      chatStatus = "escalated";
      refresh();
      return poll();
    });
  }

  function askEmail() {
    emailForm.hidden = false;
    emailIn.focus();
  }

  // Through the bot, so its hand-off flow picks the queue and knows the opening hours; the API
  // then answers needs_email (or the bot asks for an address) when nobody can chat right now.
  function onHuman() {
    if (ticketRef) input.focus();
    else if (needsEmail) askEmail();
    else send(L.human);
  }

  // ---- rating (after a hand-off or when the chat is closed) ----------------------------------
  function showRating() {
    var r = conv && conv.rating;
    rateForm.hidden = !conv || !(ticketRef || chatStatus === "closed");
    rateGood.setAttribute("aria-pressed", String(r === "good"));
    rateBad.setAttribute("aria-pressed", String(r === "bad"));
    noteBox.hidden = !r || !!conv.noted;
    if (!r) thanks.textContent = "";
  }

  function rate(value, note) {
    if (!conv || busy) return Promise.resolve();
    busy = true;
    clearError();
    return call("rate", { rating: value, comment: note || "" }).then(function () {
      conv.rating = value;
      if (note) conv.noted = 1;
      save(conv);
      showRating();
      thanks.textContent = L.thanks;
      if (!note) noteIn.focus();
    }).catch(function (f) { lost(f); showError(f); }).finally(function () { busy = false; });
  }

  function onNote(ev) {
    ev.preventDefault();
    var note = noteIn.value.trim();
    if (note && conv && conv.rating) rate(conv.rating, note).then(function () { if (conv && conv.noted) (compose.hidden ? restartBtn : input).focus(); });
  }

  function onEmail(ev) {
    ev.preventDefault();
    if (!emailIn.checkValidity()) { error.textContent = L.bad; error.hidden = false; emailIn.focus(); return; }
    emailBtn.disabled = true;
    escalate(emailIn.value.trim()).then(function () { input.focus(); }).catch(showError)
      .finally(function () { emailBtn.disabled = false; });
  }

  function opened(id) {
    if (conv) call("articles/opened", { article_id: String(id) }).catch(function () { /* best effort */ });
  }

  function poll() {
    if (!conv || !conv.token) return Promise.resolve();
    var extra = etag && !noConditional ? { "If-None-Match": etag } : null;
    return call("history" + (lastId ? "?after=" + lastId : ""), null, extra).then(function (r) {
      if (r.etag) etag = r.etag;
      if (r.status !== 304) update(r.body);
    }, function (f) {
      // A server that does not allow If-None-Match in CORS fails the preflight: go unconditional.
      if (f instanceof Failure && f.kind === "net" && extra) { noConditional = true; etag = ""; return; }
      lost(f);
      throw f;
    });
  }

  function schedule() {
    clearTimeout(timer);
    var live = ticketRef || chatStatus === "escalated";
    if (!live || chatStatus === "closed" || document.hidden || !conv) return;
    timer = setTimeout(function () { poll().catch(function () { /* retry later */ }).finally(schedule); }, isOpen ? 5000 : 15000);
  }

  function reset() {
    clearTimeout(timer);
    log.textContent = "";
    seen = {}; lastId = 0; etag = ""; ticketRef = null; needsEmail = false; chatStatus = "bot";
    status.hidden = true; emailForm.hidden = true; clearError();
    noteIn.value = ""; thanks.textContent = "";
    refresh();
  }

  function restart() {
    save(null); conv = null; reset();
    ensure().then(function () { input.focus(); }).catch(showError);
  }

  function open() {
    if (isOpen) return;
    isOpen = true;
    panel.hidden = false;
    unread.hidden = true;
    launcher.setAttribute("aria-expanded", "true");
    log.scrollTop = log.scrollHeight;
    (emailForm.hidden ? input : emailIn).focus();
    var first = conv ? poll() : ensure();
    first.catch(function (f) { if (conv) showError(f); else return ensure().catch(showError); }).then(function () {
      if (!root.activeElement) (emailForm.hidden ? input : emailIn).focus();
    });
    schedule();
  }

  function close() {
    if (!isOpen) return;
    isOpen = false;
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
    schedule();
  }

  function toggle() { if (isOpen) close(); else open(); }

  function onKey(ev) {
    if (ev.key === "Escape" || ev.key === "Esc") { ev.stopPropagation(); close(); }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) clearTimeout(timer);
    else if (ticketRef || chatStatus === "escalated") poll().catch(function () {}).finally(schedule);
  });

  // Links and buttons on the host page marked data-open-chat open the widget ("Chat with us").
  document.addEventListener("click", function (ev) {
    var target = ev.target && ev.target.closest && ev.target.closest("[data-open-chat]");
    if (target) { ev.preventDefault(); open(); }
  });

  // A conversation from an earlier page or tab: show it again.
  if (conv && conv.token) poll().catch(function () { /* shown when opened */ });
})();
