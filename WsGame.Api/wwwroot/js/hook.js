// The read-only test hook window.wsgame.state(): a plain copy of what the page knows, for the browser tests
// (WsGame.Api.Tests/Browser) to wait on and to print when a wait times out. Nothing in the page reads it.

export function installTestHook({ session, room, socket, controls, chat, hud, lobby, profile }) {
  const state = () => {
    const now = performance.now();
    const me = room.me;
    return {
      connected: socket.open,
      joined: session.live,
      mode: session.mode,
      spectator: room.spectator,
      id: room.id,
      room: room.name,
      round: room.round,
      phase: room.phase,
      hits: room.hits,
      arena: { ...room.arena },
      rules: session.rules,
      players: [...room.players.values()].map((p) => ({
        id: p.id, name: p.name, sprite: p.sprite, me: p.id === room.id,
        left: p === me ? Math.round(controls.x) : p.left,
        top: p === me ? Math.round(controls.y) : p.top,
        direction: p.direction, energy: p.energy, wins: p.wins, connected: p.connected,
      })),
      away: room.away(now, session.rules.reconnectGraceMs),
      overlays: { away: hud.texts.away, lost: hud.texts.lost },
      result: room.result ? { ...room.result } : null,
      chat: chat.snapshot(),
      profile: { id: profile.id, leaderboard: profile.entries.map((e) => ({ ...e })) },
      held: [...controls.held],
      sent: { ...controls.sent },
      // The stream: the last seq applied, the seqs applied (newest last), and what net.js dropped or saw skipped.
      seq: socket.seq,
      seqs: [...session.seqs],
      hasSeat: socket.hasSeat,
      reconnects: socket.stats.reconnects,
      resumes: socket.stats.resumes,
      refused: socket.stats.refused,
      opened: socket.stats.opened,
      duplicates: socket.stats.duplicates,
      gaps: socket.stats.gaps.map((g) => ({ ...g })),
      lobby: { shown: lobby.shown, fetches: lobby.fetches, rooms: lobby.rooms.map((r) => ({ ...r })) },
      seen: { ...session.seen, closes: [...session.seen.closes] },
    };
  };
  window.wsgame = Object.freeze({ state });
}
