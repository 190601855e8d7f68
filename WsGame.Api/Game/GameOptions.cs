using System.ComponentModel.DataAnnotations;

namespace WsGame.Api.Game;

/// <summary>
/// The numbers the game rules enforce, bound from <c>WsGame:Game</c>. Distances are in pixels of the
/// arena, times are <see cref="TimeSpan"/>s, speed is pixels per second.
/// </summary>
public sealed class GameOptions : IValidatableObject
{
    public const string SectionName = "WsGame:Game";

    /// <summary>Players one room holds: 2 is the duel; more makes an arena where the last one standing wins.</summary>
    [Range(1, 100_000)]
    public int RoomCapacity { get; set; } = 2;

    /// <summary>Width of the playing field.</summary>
    [Range(16, 100_000)]
    public int ArenaWidth { get; set; } = 500;

    /// <summary>Height of the playing field.</summary>
    [Range(16, 100_000)]
    public int ArenaHeight { get; set; } = 400;

    /// <summary>Side of the square sprite box; a player's <c>left</c>/<c>top</c> is this box's top-left corner.</summary>
    [Range(1, 100_000)]
    public int SpriteSize { get; set; } = 96;

    /// <summary>Width of the body (the part that collides and can be hit), centred horizontally in the sprite.</summary>
    [Range(1, 100_000)]
    public int BodyWidth { get; set; } = 48;

    /// <summary>Height of the body, which sits on the bottom edge of the sprite.</summary>
    [Range(1, 100_000)]
    public int BodyHeight { get; set; } = 64;

    /// <summary>Fastest a player may walk, in pixels per second.</summary>
    [Range(1.0, 1_000_000.0)]
    public double MaxSpeed { get; set; } = 200;

    /// <summary>
    /// How far a client may run ahead of <see cref="MaxSpeed"/>, as time walked at full speed. It absorbs
    /// network jitter and frame timing, and it is also the longest jump a client that stood still can make
    /// in one message. Never less than one tick (1 / <see cref="TickRate"/>) in effect.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan MoveTolerance { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Energy at the start of a round; a player at 0 is knocked out.</summary>
    [Range(1, 1_000_000)]
    public int MaxEnergy { get; set; } = 30;

    /// <summary>Energy one attack takes from each player it hits.</summary>
    [Range(1, 1_000_000)]
    public int Damage { get; set; } = 1;

    /// <summary>Least time between two attacks of one player, so a held key cannot drain a victim.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan AttackCooldown { get; set; } = TimeSpan.FromMilliseconds(400);

    /// <summary>How far the attack box reaches beyond the body in the facing direction.</summary>
    [Range(1, 100_000)]
    public int AttackRange { get; set; } = 40;

    /// <summary>Size of the attack box across the facing direction, centred on the body.</summary>
    [Range(1, 100_000)]
    public int AttackWidth { get; set; } = 48;

    /// <summary>How often per second the server sends the room's state.</summary>
    [Range(1, 120)]
    public int TickRate { get; set; } = 20;

    /// <summary>
    /// How far a player is told about the others' movement, in pixels along each axis; 0 (the default)
    /// tells everyone about everyone, right for a duel's arena that fits on one screen. In a big arena
    /// each player's update lists only the players near it (every one within this distance on both axes,
    /// and some up to twice as far), so the work of a tick grows with the players, not with their square.
    /// Joins, leaves, rounds and chat still reach the whole room.
    /// </summary>
    [Range(0, 100_000)]
    public int ViewDistance { get; set; }

    /// <summary>Longest chat message, in characters.</summary>
    [Range(1, 100_000)]
    public int MaxChatLength { get; set; } = 500;

    /// <summary>Longest player name, in characters as a person counts them (grapheme clusters: an emoji is one).</summary>
    [Range(1, 256)]
    public int MaxNameLength { get; set; } = 16;

    /// <summary>Longest room name a player may choose, in characters as a person counts them (grapheme clusters).</summary>
    [Range(1, 256)]
    public int MaxRoomNameLength { get; set; } = 32;

    /// <summary>
    /// The characters a player may pick (sprite sheets under <c>wwwroot/sprites</c>); the first is the default.
    /// Empty in code so that a configured list replaces it rather than being appended to it; see <see cref="SpriteNames"/>.
    /// </summary>
    public List<string> Sprites { get; set; } = [];

    /// <summary>The configured <see cref="Sprites"/>, or the four the page ships with.</summary>
    public IReadOnlyList<string> SpriteNames => Sprites.Count > 0 ? Sprites : DefaultSprites;

    private static readonly string[] DefaultSprites = ["knight", "ninja", "mage", "archer"];

    /// <summary>
    /// How long a seat is held for a player whose connection dropped without <c>leave</c>: it may resume within
    /// this time; after it, it leaves, and a running duel is lost by forfeit.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ReconnectGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Spectators one room admits.</summary>
    [Range(0, 100_000)]
    public int MaxSpectators { get; set; } = 50;

    /// <summary>
    /// Messages a room keeps to replay to a player who resumes (or a spectator or player that fell behind); one
    /// whose last message is older than that gets a snapshot instead.
    /// </summary>
    [Range(1, 65_536)]
    public int ResumeHistory { get; set; } = 256;

    /// <summary>
    /// Inputs of one connection that may wait for its room. Past this the connection stops reading until the room
    /// has caught up, so TCP pushes back on a client that sends faster than its room handles.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxPendingInputs { get; set; } = 64;

    /// <summary>Time one tick lasts.</summary>
    public TimeSpan TickInterval => TimeSpan.FromSeconds(1.0 / TickRate);

    /// <summary>
    /// Checks between settings. Runs only once every single setting is in its range, so the numbers here
    /// are positive. Each failure names every setting it involves, so the operator knows what to change.
    /// </summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BodyWidth > SpriteSize)
        {
            yield return Failure($"BodyWidth ({BodyWidth}) must not exceed SpriteSize ({SpriteSize}): the body is part of the sprite.",
                nameof(BodyWidth), nameof(SpriteSize));
        }

        if (BodyHeight > SpriteSize)
        {
            yield return Failure($"BodyHeight ({BodyHeight}) must not exceed SpriteSize ({SpriteSize}): the body is part of the sprite.",
                nameof(BodyHeight), nameof(SpriteSize));
        }

        foreach (var sprite in Sprites)
        {
            if (string.IsNullOrWhiteSpace(sprite) || sprite.Length > 32 || !sprite.All(char.IsAsciiLetterOrDigit))
            {
                yield return Failure($"Sprites: '{sprite}' is not a sprite name (1-32 ASCII letters and digits).", nameof(Sprites));
            }
        }

        if (SpriteSize > ArenaWidth || SpriteSize > ArenaHeight)
        {
            yield return Failure($"SpriteSize ({SpriteSize}) must fit in ArenaWidth x ArenaHeight ({ArenaWidth} x {ArenaHeight}).",
                nameof(SpriteSize), nameof(ArenaWidth), nameof(ArenaHeight));
        }
        else if (RoomCapacity > SpawnLayout.MaxSlots(this))
        {
            // Only meaningful once the sprite fits: then MaxSlots is well defined.
            yield return Failure(
                $"RoomCapacity ({RoomCapacity}) is more than the {SpawnLayout.MaxSlots(this)} players whose bodies fit side by side " +
                $"in ArenaWidth x ArenaHeight ({ArenaWidth} x {ArenaHeight}) with SpriteSize {SpriteSize} and a body of BodyWidth x BodyHeight ({BodyWidth} x {BodyHeight}).",
                nameof(RoomCapacity), nameof(ArenaWidth), nameof(ArenaHeight), nameof(SpriteSize), nameof(BodyWidth), nameof(BodyHeight));
        }
    }

    private static ValidationResult Failure(string message, params string[] settings) => new(message, settings);
}
