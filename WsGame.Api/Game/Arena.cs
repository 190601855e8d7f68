namespace WsGame.Api.Game;

/// <summary>
/// The geometry of the game: spawn points, where a player may move, whom an attack hits. Pure and
/// deterministic apart from updating the <see cref="PlayerState"/>s it is given; time comes in as arguments.
/// </summary>
/// <remarks>
/// Coordinates: a player's <c>Left</c>/<c>Top</c> is the top-left corner of its sprite box
/// (<see cref="GameOptions.SpriteSize"/> square), in whole pixels, y downwards. The whole sprite box stays
/// inside the arena; it is the simplest wall rule and keeps every sprite fully visible. The body box
/// (<see cref="GameOptions.BodyWidth"/> x <see cref="GameOptions.BodyHeight"/>, centred horizontally, on
/// the sprite's bottom edge) is what collides and what attacks hit; sprites may overlap where bodies do not.
/// </remarks>
public sealed class Arena
{
    private readonly SpawnPoint[] _spawnPoints;

    /// <param name="options">Validated options; the spawn layout is computed for <see cref="GameOptions.RoomCapacity"/> slots.</param>
    public Arena(GameOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _spawnPoints = SpawnLayout.Compute(options, options.RoomCapacity);
    }

    public GameOptions Options { get; }

    /// <summary>Start positions of slots 0 .. RoomCapacity - 1; see <see cref="SpawnLayout"/> for the layout.</summary>
    public IReadOnlyList<SpawnPoint> SpawnPoints => _spawnPoints;

    /// <summary>Most pixels a player can walk in one move message: MaxSpeed × max(MoveTolerance, one tick).</summary>
    public double MoveCreditLimit =>
        Options.MaxSpeed * Math.Max(Options.MoveTolerance.TotalSeconds, Options.TickInterval.TotalSeconds);

    /// <summary>The body box of a sprite whose top-left corner is at (<paramref name="left"/>, <paramref name="top"/>).</summary>
    public Box BodyAt(int left, int top) => new(
        left + (Options.SpriteSize - Options.BodyWidth) / 2.0,
        top + Options.SpriteSize - Options.BodyHeight,
        Options.BodyWidth,
        Options.BodyHeight);

    public Box BodyOf(PlayerState player) => BodyAt(player.Left, player.Top);

    /// <summary>
    /// The box an attack by <paramref name="player"/> covers: adjacent to its body on the facing side,
    /// <see cref="GameOptions.AttackRange"/> deep and <see cref="GameOptions.AttackWidth"/> wide, centred on the body.
    /// </summary>
    public Box AttackBoxOf(PlayerState player)
    {
        var body = BodyOf(player);
        double range = Options.AttackRange;
        double width = Options.AttackWidth;
        double acrossX = body.Left + (body.Width - width) / 2;
        double acrossY = body.Top + (body.Height - width) / 2;
        return player.Direction switch
        {
            Direction.UP => new Box(acrossX, body.Top - range, width, range),
            Direction.DOWN => new Box(acrossX, body.Bottom, width, range),
            Direction.LEFT => new Box(body.Left - range, acrossY, range, width),
            _ => new Box(body.Right, acrossY, range, width),
        };
    }

    /// <summary>
    /// Moves <paramref name="mover"/> towards where its client wants it, as far as the rules allow, and
    /// returns where it ended up. Updates the mover's position, direction, status and move credit.
    /// </summary>
    /// <param name="mover">The player moving; updated in place.</param>
    /// <param name="wantedLeft">Sprite left the client reports.</param>
    /// <param name="wantedTop">Sprite top the client reports.</param>
    /// <param name="direction">Taken as sent; a value outside the enum keeps the old direction.</param>
    /// <param name="status">Taken as sent, except that ATTACK (only an accepted attack sets it) and unknown values become STAY.</param>
    /// <param name="sinceLastMove">Time since this player's previous move; negative counts as zero.</param>
    /// <param name="others">Everyone in the room; the mover itself and knocked-out players are skipped.</param>
    /// <remarks>
    /// In order: (1) the wanted position is clamped so the sprite box stays inside the arena. (2) Speed: the
    /// player may walk MaxSpeed × <paramref name="sinceLastMove"/> plus its unused credit, capped at
    /// <see cref="MoveCreditLimit"/>; a longer step is shortened along the same line (rounded towards the start,
    /// so never beyond the limit). The credit lets a steady client whose messages bunch up or whose frames do not
    /// divide evenly go uncorrected, while its average speed stays capped and an idle client cannot teleport.
    /// (3) Bodies: the step is swept along x, then along y from where x stopped, each axis stopping at the first
    /// live body in the way. So a player slides along a body it walks diagonally into, and cannot pass through
    /// one however long the step. A body the mover already overlaps (possible only after a mid-round join onto an
    /// occupied spawn point) is ignored so the two can walk apart.
    /// </remarks>
    public MoveResult Move(PlayerState mover, int wantedLeft, int wantedTop, Direction direction, PlayerStatus status,
        TimeSpan sinceLastMove, IReadOnlyList<PlayerState> others)
    {
        ArgumentNullException.ThrowIfNull(mover);
        ArgumentNullException.ThrowIfNull(others);
        if (mover.KnockedOut)
        {
            bool differs = mover.Left != wantedLeft || mover.Top != wantedTop;
            return new MoveResult(mover.Left, mover.Top, differs, MoveRefusal.KnockedOut);
        }

        // (1) Walls.
        long targetLeft = Math.Clamp(wantedLeft, 0, Options.ArenaWidth - Options.SpriteSize);
        long targetTop = Math.Clamp(wantedTop, 0, Options.ArenaHeight - Options.SpriteSize);

        // (2) Speed.
        double elapsed = Math.Max(0, sinceLastMove.TotalSeconds);
        double allowance = Math.Min(mover.MoveCredit + Options.MaxSpeed * elapsed, MoveCreditLimit);
        long dx = targetLeft - mover.Left;
        long dy = targetTop - mover.Top;
        double distance = Math.Sqrt((double)dx * dx + (double)dy * dy);
        if (distance > allowance)
        {
            double scale = allowance / distance;
            dx = (long)Math.Truncate(dx * scale);
            dy = (long)Math.Truncate(dy * scale);
        }

        // (3) Bodies, one axis at a time.
        int left = SweepX(mover, mover.Left + (int)dx, others);
        int top = SweepY(mover, left, mover.Top + (int)dy, others);

        double walked = Math.Sqrt(Square(left - mover.Left) + Square(top - mover.Top));
        mover.MoveCredit = Math.Max(0, allowance - walked);
        mover.Left = left;
        mover.Top = top;
        if (Enum.IsDefined(direction))
        {
            mover.Direction = direction;
        }

        mover.Status = status == PlayerStatus.MOVE ? PlayerStatus.MOVE : PlayerStatus.STAY;
        return new MoveResult(left, top, left != wantedLeft || top != wantedTop);
    }

    /// <summary>
    /// Swings <paramref name="attacker"/>'s attack at <paramref name="now"/>. Every other live player whose body
    /// intersects <see cref="AttackBoxOf"/> loses <see cref="GameOptions.Damage"/> energy (not below 0); one
    /// reaching 0 is knocked out. The attacker's status becomes ATTACK and its cooldown starts, hit or miss.
    /// Round state is not checked here; <see cref="RoomRules.Attack"/> does that.
    /// </summary>
    /// <param name="attacker">The player attacking; its status and cooldown are updated.</param>
    /// <param name="now">The caller's monotonic clock; only differences between calls matter.</param>
    /// <param name="others">Everyone in the room; the attacker itself and knocked-out players are skipped. Hits keep this order.</param>
    public AttackResult Attack(PlayerState attacker, TimeSpan now, IReadOnlyList<PlayerState> others)
    {
        ArgumentNullException.ThrowIfNull(attacker);
        ArgumentNullException.ThrowIfNull(others);
        if (attacker.KnockedOut)
        {
            return AttackResult.Refuse(AttackRefusal.KnockedOut);
        }

        // A refused attempt does not restart the cooldown, so holding the key attacks at the cooldown's pace.
        if (attacker.LastAttackAt is { } last && now - last < Options.AttackCooldown)
        {
            return AttackResult.Refuse(AttackRefusal.CoolingDown);
        }

        attacker.LastAttackAt = now;
        attacker.Status = PlayerStatus.ATTACK;
        var reach = AttackBoxOf(attacker);
        var hits = new List<Hit>();
        foreach (var victim in others)
        {
            if (ReferenceEquals(victim, attacker) || victim.KnockedOut || victim.Away || !reach.Intersects(BodyOf(victim)))
            {
                continue;
            }

            victim.Energy = Math.Max(0, victim.Energy - Options.Damage);
            if (victim.Energy == 0)
            {
                victim.KnockedOut = true;
                victim.Status = PlayerStatus.STAY;
            }

            hits.Add(new Hit(victim.Id, victim.Energy, victim.KnockedOut));
        }

        return new AttackResult(AttackRefusal.None, hits);
    }

    private int SweepX(PlayerState mover, int targetLeft, IReadOnlyList<PlayerState> others)
    {
        var start = BodyOf(mover);
        int left = targetLeft;
        for (var i = 0; i < others.Count; i++) // by index: a foreach over the interface would allocate per move
        {
            var other = others[i];
            var body = BodyOf(other);
            if (!IsObstacle(mover, start, other, body) || !start.OverlapsVertically(body))
            {
                continue;
            }

            // Not overlapping at the start but level with it: the body is wholly to one side.
            if (left > mover.Left && body.Left >= start.Right)
            {
                left = Math.Min(left, (int)Math.Floor(body.Left - Options.BodyWidth - (start.Left - mover.Left)));
            }
            else if (left < mover.Left && body.Right <= start.Left)
            {
                left = Math.Max(left, (int)Math.Ceiling(body.Right - (start.Left - mover.Left)));
            }
        }

        return left;
    }

    private int SweepY(PlayerState mover, int left, int targetTop, IReadOnlyList<PlayerState> others)
    {
        var start = BodyAt(left, mover.Top);
        int top = targetTop;
        for (var i = 0; i < others.Count; i++) // by index: a foreach over the interface would allocate per move
        {
            var other = others[i];
            var body = BodyOf(other);
            if (!IsObstacle(mover, start, other, body) || !start.OverlapsHorizontally(body))
            {
                continue;
            }

            if (top > mover.Top && body.Top >= start.Bottom)
            {
                top = Math.Min(top, (int)Math.Floor(body.Top - Options.BodyHeight - (start.Top - mover.Top)));
            }
            else if (top < mover.Top && body.Bottom <= start.Top)
            {
                top = Math.Max(top, (int)Math.Ceiling(body.Bottom - (start.Top - mover.Top)));
            }
        }

        return top;
    }

    /// <summary>A live player other than the mover, whose body the mover does not already overlap at <paramref name="start"/>.</summary>
    private static bool IsObstacle(PlayerState mover, Box start, PlayerState other, Box body) =>
        !ReferenceEquals(other, mover) && !other.KnockedOut && !start.Intersects(body);

    private static double Square(int value) => (double)value * value;
}
