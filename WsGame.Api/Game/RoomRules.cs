namespace WsGame.Api.Game;

/// <summary>
/// One room's players and rounds: who is in which slot, when a round is on, who won, when the next starts.
/// Movement and attacks go through here so that they respect the round; the geometry is <see cref="Arena"/>'s.
/// </summary>
/// <remarks>
/// <para>
/// The cycle: <see cref="RoundPhase.Waiting"/> until a second player joins, which starts round 1.
/// <see cref="RoundPhase.Live"/> while at least two players stand; each knock-out is reported by the attack
/// that caused it, and the one that leaves a single player standing ends the round (<see cref="RoundPhase.Over"/>),
/// counting a win for that player. When every player in the room has asked for a <see cref="Rematch"/>, the next
/// round starts. Whenever a round starts, every player is reset to its slot's spawn point with full energy and no
/// cooldown; wins are kept.
/// </para>
/// <para>
/// Joining a live round puts the newcomer in it at its spawn point with full energy (an arena need not stop for
/// latecomers). Leaving by choice so that one player stands ends the round (reason "left") without a win: a walkover is not a
/// fight won, and counting it would let a pair farm wins by reconnecting. A room left with one player goes back to
/// waiting, and that player is reset so it can walk about while it waits.
/// </para>
/// <para>Not thread-safe: the owner of the room serialises every call. Time comes in as arguments, from one monotonic clock.</para>
/// </remarks>
public sealed class RoomRules
{
    private readonly List<PlayerState> _players = [];
    private readonly Dictionary<string, PlayerState> _byId = []; // every message names its player: no scan of a big room

    // Where everyone stands, in cells of one sprite, so that a move or an attack looks only at the players
    // near it: in an arena of a thousand, checking every body for every move is most of the server's work.
    private readonly PlayerGrid _grid;
    private readonly List<PlayerState> _near = [];

    public RoomRules(GameOptions options)
    {
        Arena = new Arena(options);
        _grid = new PlayerGrid(options.SpriteSize);
    }

    public Arena Arena { get; }

    public GameOptions Options => Arena.Options;

    public RoundPhase Phase { get; private set; } = RoundPhase.Waiting;

    /// <summary>Number of the current (or last) round: 0 before the first, then 1, 2, ...</summary>
    public int Round { get; private set; }

    /// <summary>The players in slot order.</summary>
    public IReadOnlyList<PlayerState> Players => _players;

    public bool IsFull => _players.Count >= Options.RoomCapacity;

    public PlayerState? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>Copies of every player, in slot order, for a state message.</summary>
    public IReadOnlyList<PlayerSnapshot> Snapshot() => [.. _players.Select(player => player.Snapshot())];

    /// <summary>
    /// Adds a player in the lowest free slot, at that slot's spawn point. The name is trimmed; it must then be
    /// 1 to <see cref="GameOptions.MaxNameLength"/> characters as <see cref="TextRules"/> counts them, without control characters.
    /// </summary>
    public JoinResult Join(string id, string name, string sprite)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(sprite);
        string? validName = ValidName(name);
        if (validName is null)
        {
            return new JoinResult(JoinRefusal.InvalidName, null, false);
        }

        if (Find(id) is not null)
        {
            return new JoinResult(JoinRefusal.DuplicateId, null, false);
        }

        if (IsFull)
        {
            return new JoinResult(JoinRefusal.RoomFull, null, false);
        }

        var player = new PlayerState(id, validName, sprite) { Slot = LowestFreeSlot() };
        ResetForRound(player);
        _players.Add(player);
        _byId.Add(id, player);
        _players.Sort((a, b) => a.Slot.CompareTo(b.Slot));

        bool started = Phase == RoundPhase.Waiting && _players.Count >= 2;
        if (started)
        {
            StartRound();
        }

        return new JoinResult(JoinRefusal.None, player, started);
    }

    /// <summary>
    /// Removes a player; may end the round (the last opponent gone), or start the rematch the others were waiting
    /// on. <paramref name="forfeit"/>: the player is removed because it stayed away past the reconnect grace, so
    /// the one left standing wins by forfeit (counted); otherwise it left by choice and no win is counted.
    /// </summary>
    public LeaveResult Leave(string id, bool forfeit = false)
    {
        var leaver = Find(id);
        if (leaver is null)
        {
            return new LeaveResult(false, null, false);
        }

        _players.Remove(leaver);
        _byId.Remove(id);
        _grid.Remove(leaver);
        RoundEnd? ended = null;
        if (Phase == RoundPhase.Live)
        {
            var standing = _players.Where(player => !player.KnockedOut).ToList();
            if (standing.Count == 1)
            {
                ended = forfeit
                    ? new RoundEnd(Round, standing[0].Id, [leaver.Id], RoundEndReason.Forfeit, WinCounted: true)
                    : new RoundEnd(Round, standing[0].Id, [leaver.Id], RoundEndReason.Left, WinCounted: false);
                if (forfeit)
                {
                    standing[0].Wins++;
                }
                Phase = RoundPhase.Over;
            }
            else if (standing.Count == 0)
            {
                Phase = RoundPhase.Over; // cannot happen from a live round (two stood); kept safe all the same
            }
        }

        bool started = false;
        if (_players.Count < 2)
        {
            Phase = RoundPhase.Waiting;
            _players.ForEach(ResetForRound);
        }
        else if (Phase == RoundPhase.Over && _players.All(player => player.WantsRematch))
        {
            StartRound();
            started = true;
        }

        return new LeaveResult(true, ended, started);
    }

    /// <summary>
    /// Marks a player away (its connection dropped, its seat held) or back. An away player stands still and cannot
    /// be hit (<see cref="Arena.Attack"/> skips it); coming back, its move clock restarts so the time away is no
    /// credit for a long jump.
    /// </summary>
    public bool SetAway(string id, bool away)
    {
        var player = Find(id);
        if (player is null || player.Away == away)
        {
            return false;
        }
        player.Away = away;
        player.Status = PlayerStatus.STAY;
        player.LastMoveAt = null;
        return true;
    }

    /// <summary>Moves a player; see <see cref="Arena.Move"/>. The time since its last move is measured from <paramref name="now"/>.</summary>
    /// <param name="id">The moving player.</param>
    /// <param name="wantedLeft">Sprite left the client reports.</param>
    /// <param name="wantedTop">Sprite top the client reports.</param>
    /// <param name="direction">Facing the client reports.</param>
    /// <param name="status">STAY or MOVE as the client reports; ATTACK counts as STAY.</param>
    /// <param name="now">The room's monotonic clock; the first move of a round counts as no time elapsed (the credit covers it).</param>
    public MoveResult Move(string id, int wantedLeft, int wantedTop, Direction direction, PlayerStatus status, TimeSpan now) =>
        Move(Find(id), wantedLeft, wantedTop, direction, status, now);

    /// <summary>As <see cref="Move(string, int, int, Direction, PlayerStatus, TimeSpan)"/>, for a player of these rules already at hand.</summary>
    internal MoveResult Move(PlayerState? mover, int wantedLeft, int wantedTop, Direction direction, PlayerStatus status, TimeSpan now)
    {
        if (mover is null || mover.Away)
        {
            return new MoveResult(wantedLeft, wantedTop, false, MoveRefusal.UnknownPlayer);
        }

        var sinceLastMove = mover.LastMoveAt is { } last ? now - last : TimeSpan.Zero;
        mover.LastMoveAt = now;
        // No step is longer than the move credit's limit, so only bodies within that reach of the mover's can stop it.
        var reach = (int)Math.Ceiling(Arena.MoveCreditLimit) + 1;
        var result = Arena.Move(mover, wantedLeft, wantedTop, direction, status, sinceLastMove, BodiesMeeting(Arena.BodyOf(mover), reach));
        _grid.Place(mover);
        return result;
    }

    /// <summary>
    /// Attacks for a player; see <see cref="Arena.Attack"/>. Refused unless the round is live. When it leaves one
    /// player standing, the round ends: <see cref="AttackResult.RoundEnded"/> says who won, and the win is counted.
    /// </summary>
    public AttackResult Attack(string id, TimeSpan now)
    {
        var attacker = Find(id);
        if (attacker is null)
        {
            return AttackResult.Refuse(AttackRefusal.UnknownPlayer);
        }

        if (attacker.KnockedOut)
        {
            return AttackResult.Refuse(AttackRefusal.KnockedOut);
        }

        if (attacker.Away)
        {
            return AttackResult.Refuse(AttackRefusal.UnknownPlayer);
        }

        if (Phase != RoundPhase.Live)
        {
            return AttackResult.Refuse(Phase == RoundPhase.Over ? AttackRefusal.RoundOver : AttackRefusal.WaitingForPlayers);
        }

        var candidates = BodiesMeeting(Arena.AttackBoxOf(attacker), 1);
        candidates.Sort((a, b) => a.Slot.CompareTo(b.Slot)); // hits are reported in slot order
        var result = Arena.Attack(attacker, now, candidates);
        if (result.KnockedOut.Count == 0)
        {
            return result;
        }

        var standing = _players.Where(player => !player.KnockedOut).ToList();
        if (standing.Count > 1)
        {
            return result;
        }

        // The attacker is never its own victim, so exactly one stands: the attacker.
        var winner = standing[0];
        winner.Wins++;
        Phase = RoundPhase.Over;
        return result with { RoundEnded = new RoundEnd(Round, winner.Id, result.KnockedOut, RoundEndReason.KnockOut, WinCounted: true) };
    }

    /// <summary>
    /// Puts a player at a spot without the movement rules (a test's setup); keeps the grid of positions right,
    /// which writing <see cref="PlayerState.Left"/> and <see cref="PlayerState.Top"/> directly would not.
    /// </summary>
    internal void PutAt(PlayerState player, int left, int top)
    {
        player.Left = left;
        player.Top = top;
        _grid.Place(player);
    }

    /// <summary>Records that a player wants another round; the round starts once every player in the room has asked.</summary>
    public RematchResult Rematch(string id)
    {
        var player = Find(id);
        if (player is null)
        {
            return new RematchResult(RematchRefusal.UnknownPlayer, false, WaitingFor());
        }

        if (Phase != RoundPhase.Over)
        {
            return new RematchResult(RematchRefusal.RoundNotOver, false, WaitingFor());
        }

        player.WantsRematch = true;
        if (_players.Any(other => !other.WantsRematch))
        {
            return new RematchResult(RematchRefusal.None, false, WaitingFor());
        }

        StartRound();
        return new RematchResult(RematchRefusal.None, true, []);
    }

    private IReadOnlyList<string> WaitingFor() =>
        Phase == RoundPhase.Over ? [.. _players.Where(player => !player.WantsRematch).Select(player => player.Id)] : [];

    private void StartRound()
    {
        Round++;
        Phase = RoundPhase.Live;
        _players.ForEach(ResetForRound);
    }

    private void ResetForRound(PlayerState player)
    {
        var spawn = Arena.SpawnPoints[player.Slot];
        player.Left = spawn.Left;
        player.Top = spawn.Top;
        player.Direction = spawn.Facing;
        player.Status = PlayerStatus.STAY;
        player.Energy = Options.MaxEnergy;
        player.KnockedOut = false;
        player.LastAttackAt = null;
        player.LastMoveAt = null;
        player.MoveCredit = Arena.MoveCreditLimit;
        player.WantsRematch = false;
        _grid.Place(player);
    }

    /// <summary>
    /// The players whose bodies may meet <paramref name="area"/> grown by <paramref name="margin"/> pixels on every
    /// side: a superset of the ones that do, for <see cref="Arena"/> to check exactly. Reuses one list.
    /// </summary>
    private List<PlayerState> BodiesMeeting(Box area, int margin)
    {
        // A body lies at a fixed offset in its sprite; turn the area into the range of sprite corners whose body meets it.
        var (bodyLeft, bodyTop, _, _) = Arena.BodyAt(0, 0);
        _near.Clear();
        _grid.Collect(
            (int)Math.Floor(area.Left - margin - bodyLeft - Options.BodyWidth),
            (int)Math.Floor(area.Top - margin - bodyTop - Options.BodyHeight),
            (int)Math.Ceiling(area.Right + margin - bodyLeft),
            (int)Math.Ceiling(area.Bottom + margin - bodyTop),
            _near);
        return _near;
    }

    private int LowestFreeSlot()
    {
        int slot = 0;
        foreach (var player in _players) // in slot order
        {
            if (player.Slot != slot)
            {
                break;
            }

            slot++;
        }

        return slot;
    }

    private string? ValidName(string? name) => TextRules.ValidName(name, Options.MaxNameLength);
}
