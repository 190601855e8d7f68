using WsGame.Api.Storage.Records;

namespace WsGame.Api.Storage;

/// <summary>Something the game asked storage to keep; written in order, in batches, by <see cref="ResultWriter"/>.</summary>
public abstract record StorageWrite;

/// <summary>
/// A player joined under a profile: it is created when storage has not seen it (a fresh one, or one made
/// while storage was down), and its name updated when the token matches.
/// </summary>
public sealed record ProfileSeen(string Id, string TokenHash, string Name, DateTime At) : StorageWrite;

/// <summary>
/// A round ended. <paramref name="TokenHashes"/>, by player position: the hash of the token each played under,
/// checked against the stored profile, so a player whose token was not checked at its join (storage was down)
/// cannot be credited to a profile that is not its own.
/// </summary>
public sealed record MatchEnded(MatchRecord Match, IReadOnlyList<string?> TokenHashes) : StorageWrite;
