namespace WsGame.Api.Game;

/// <summary>Where a room slot starts a round: sprite top-left corner and facing.</summary>
public readonly record struct SpawnPoint(int Left, int Top, Direction Facing);
