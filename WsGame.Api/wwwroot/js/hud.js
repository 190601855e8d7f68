// Everything around the arena: the top bar (room, connection, watching), the overlays over the arena (waiting,
// our own lost connection, an opponent reconnecting with its grace counting down, the round's result), the
// players list and which controls a spectator does not get. It reads the room and writes the DOM, nothing else;
// names are put in with textContent only.

const $ = (id) => document.getElementById(id);

export class Hud {
  constructor() {
    this.ui = {
      gamePanel: $('game-panel'), side: $('side'), canvas: $('arena'), roomLabel: $('room-label'),
      watching: $('watching'), connection: $('connection'), exit: $('exit'), help: $('help'),
      waiting: $('waiting'), disconnected: $('disconnected'), away: $('away'),
      result: $('result'), resultText: $('result-text'), resultDetail: $('result-detail'), rematch: $('rematch'),
      players: $('players'), chatInput: $('chat-input'),
    };
    this.texts = { away: '', lost: '' };   // what the countdown overlays say now (also for the test hook)
    window.addEventListener('resize', () => this.fitCanvas());
  }

  setConnection(kind) {
    const c = this.ui.connection;
    c.className = kind === 'online' ? 'online' : 'offline';
    c.dataset.state = kind;
    c.textContent = kind === 'online' ? 'connected' : kind === 'connecting' ? 'connecting…' : 'disconnected';
  }

  /** The arena and the side panels, laid out for a player or for a spectator (who has no controls). */
  showGame(room, rules) {
    const ui = this.ui;
    const arriving = ui.gamePanel.hidden;
    ui.gamePanel.hidden = false; ui.side.hidden = false; ui.exit.hidden = false; ui.roomLabel.hidden = false;
    ui.watching.hidden = !room.spectator;
    ui.help.textContent = room.spectator ? 'You are watching: chat is open, the game is theirs.' : 'Move: arrow keys or WASD · Attack: Space';
    ui.exit.textContent = room.spectator ? 'Stop watching' : 'Exit';
    ui.chatInput.maxLength = rules.maxChatLength;
    ui.canvas.width = room.arena.width; ui.canvas.height = room.arena.height;
    if (arriving) {
      // Keys go to the game on arrival; after a resume, a half-typed chat line keeps its focus.
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
      ui.canvas.focus();
    }
    this.fitCanvas();
  }

  hideGame() {
    const ui = this.ui;
    ui.gamePanel.hidden = true; ui.side.hidden = true; ui.exit.hidden = true; ui.roomLabel.hidden = true;
    ui.watching.hidden = true;
    this.texts = { away: '', lost: '' };
  }

  /** Scales the canvas (CSS size only: the drawing stays at arena pixels) to fit the stage, pixelated. */
  fitCanvas() {
    const canvas = this.ui.canvas;
    const stage = canvas.parentElement;
    const border = 4;
    const scale = Math.max(0.25, Math.min((stage.clientWidth - border) / canvas.width, (stage.clientHeight - border) / canvas.height));
    canvas.style.width = `${Math.floor(canvas.width * scale)}px`;
    canvas.style.height = `${Math.floor(canvas.height * scale)}px`;
  }

  /**
   * Redraws the panels after a message. `session.live`: the connection has its welcome; `session.lostAt`: when
   * it was lost (null while live); `session.hasSeat`: a seat is held for us meanwhile.
   */
  render(room, session, rules, now) {
    const ui = this.ui;
    ui.roomLabel.textContent = room.name ? `Room: ${room.name}` : '';
    ui.players.replaceChildren(...[...room.players.values()].map((p) => playerItem(p, room.id)));
    const lost = !session.live && !ui.gamePanel.hidden;
    ui.disconnected.hidden = !lost;
    ui.waiting.textContent = room.spectator ? 'Waiting for players…' : 'Waiting for an opponent…';
    ui.waiting.hidden = lost || !session.live || room.players.size >= 2 || !!room.result;
    const r = room.result;
    ui.result.hidden = !r;
    if (r) {
      ui.result.className = `overlay ${r.won ? 'won' : r.lost ? 'lost' : ''}`;
      ui.resultText.textContent = r.won ? 'You won' : r.lost ? 'You lost' : 'Round over';
      ui.resultDetail.textContent = resultDetail(room, r);
      ui.rematch.hidden = room.spectator;
      ui.rematch.disabled = room.rematchAsked || !session.live;
    }
    this.tick(room, session, rules, now);
  }

  /** The countdowns, every frame: only the text that changed is written. */
  tick(room, session, rules, now) {
    const ui = this.ui;
    const away = session.live ? room.away(now, rules.reconnectGraceMs) : [];
    const awayText = away.map((p) => (p.secondsLeft === null
      ? `${p.name} lost connection: reconnecting…`
      : `${p.name} is reconnecting… ${p.secondsLeft} s`)).join('\n');
    if (awayText !== this.texts.away) {
      this.texts.away = awayText;
      ui.away.replaceChildren(...awayText.split('\n').filter(Boolean).map(paragraph));
    }
    ui.away.hidden = !awayText || !!room.result;

    let lostText = '';
    if (session.lostAt !== null && !ui.disconnected.hidden) {
      lostText = 'Connection lost: reconnecting…';
      if (session.hasSeat) {
        const left = Math.max(0, Math.ceil((session.lostAt + rules.reconnectGraceMs - now) / 1000));
        lostText += `\nYour seat is held for ${left} s.`;
      }
    }
    if (lostText !== this.texts.lost) {
      this.texts.lost = lostText;
      ui.disconnected.replaceChildren(...(lostText || 'Connection lost: reconnecting…').split('\n').map(paragraph));
    }
  }
}

function paragraph(text) {
  const p = document.createElement('p');
  p.textContent = text;
  return p;
}

function playerItem(p, ownId) {
  const li = document.createElement('li');
  li.dataset.id = p.id;
  li.dataset.testid = 'player';
  li.classList.toggle('me', p.id === ownId);
  li.classList.toggle('away', !p.connected);
  const name = document.createElement('span');
  name.className = 'player-name';
  name.textContent = p.id === ownId ? `${p.name} (you)` : p.name;
  const info = document.createElement('span');
  info.className = 'player-info';
  info.textContent = `${p.sprite} · ♥ ${p.energy} · wins ${p.wins}${p.connected ? '' : ' · away'}`;
  li.append(name, info);
  return li;
}

function resultDetail(room, r) {
  const winner = r.winnerName, loser = r.loserName;
  if (r.reason === 'left') return room.spectator ? `${loser ?? 'A player'} left.` : 'Your opponent left.';
  if (room.rematchAsked) return 'Waiting for your opponent to accept the rematch…';
  if (r.reason === 'forfeit') {
    if (r.won) return `${loser ?? 'Your opponent'} did not come back: you win by forfeit.`;
    return winner ? `${winner} wins round ${r.round} by forfeit.` : `Round ${r.round} was forfeited.`;
  }
  return winner ? `${winner} wins round ${r.round}.` : `Round ${r.round} is over.`;
}
