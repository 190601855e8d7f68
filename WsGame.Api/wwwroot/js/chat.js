// The chat log on the right: chat lines (a spectator's marked as such), status lines ("Mina joined the chat.",
// "Mina lost connection.", "Mina is back.") and the page's own notices. Everything in it was typed by someone,
// so it goes in with textContent only.

const KEEP = 200;    // lines kept, in the page and in the DOM

export class ChatLog {
  /** @param {HTMLOListElement} list */
  constructor(list) {
    this.list = list;
    this.lines = [];   // {kind: 'chat'|'status'|'error', sender, id, text, spectator}
  }

  /** A `chat` message of the server. */
  chat(m) {
    this.add({ kind: 'chat', sender: String(m.sender ?? ''), id: m.id, text: String(m.message ?? ''), spectator: m.spectator === true });
  }

  /** A `status` message of the server, or a notice of the page (`kind` 'error'). */
  notice(kind, text, id) {
    this.add({ kind, id, text: String(text ?? '') });
  }

  add(line) {
    this.lines.push(line);
    if (this.lines.length > KEEP) this.lines.shift();
    const li = document.createElement('li');
    li.className = line.spectator ? `${line.kind} spectator` : line.kind;
    li.dataset.testid = `chat-${line.kind}`;
    if (line.kind === 'chat') {
      const sender = document.createElement('span');
      sender.className = 'sender';
      sender.textContent = `${line.sender}:`;
      const text = document.createElement('span');
      text.className = 'text';
      text.textContent = line.text;
      if (line.spectator) {
        // Said from the stands, not by a player: the tag comes first so it reads before the name.
        const tag = document.createElement('span');
        tag.className = 'tag';
        tag.textContent = 'spectator';
        li.append(tag);
      }
      li.append(sender, text);
    } else {
      li.textContent = line.text;
    }
    const list = this.list;
    const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 8;
    list.append(li);
    while (list.children.length > KEEP) list.firstElementChild.remove();
    if (atBottom) list.scrollTop = list.scrollHeight;
  }

  /** Copies for the test hook. */
  snapshot() { return this.lines.map((line) => ({ ...line })); }
}
