namespace WsGame.Api.Game.Results;

/// <summary>
/// Where a joining player's profile comes from (storage, behind this interface, so the game names no
/// database). Asked once per join, off any room's turn; never fails: a bad or unknown token gets a fresh
/// profile, and storage that cannot answer in time leaves the player under the profile its token names.
/// </summary>
public interface IProfiles
{
    /// <returns>The profile to play under; null when this server keeps no profiles (storage is off).</returns>
    ValueTask<PlayerProfile?> ForJoinAsync(string? token, string name, CancellationToken cancellationToken);
}
