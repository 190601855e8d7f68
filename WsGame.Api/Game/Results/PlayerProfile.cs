namespace WsGame.Api.Game.Results;

/// <summary>
/// The profile a player plays under, as the session found it when the player joined: what the welcome shows,
/// and the rating its next round is scored from. The room only reads it; storage decides what it is.
/// </summary>
/// <param name="Id">The profile's public id (in the leaderboard and the API).</param>
/// <param name="Token">The secret that proves the profile is the player's (the page keeps it); stored only as a hash.</param>
/// <param name="Rating">The rating when the player joined.</param>
/// <param name="Wins">Rounds won, from the stored records.</param>
/// <param name="Losses">Rounds lost, from the stored records.</param>
/// <remarks>
/// When storage could not be asked (down or slow), this is the profile the token names, at the start rating:
/// storage checks the token against the profile when it writes the player's results.
/// </remarks>
public sealed record PlayerProfile(string Id, string Token, int Rating, int Wins, int Losses);
