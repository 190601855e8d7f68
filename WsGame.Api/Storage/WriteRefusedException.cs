namespace WsGame.Api.Storage;

/// <summary>
/// The database answered and refused the write for what it holds (a constraint, a value out of range): trying
/// it again cannot help, unlike a failure to reach the database, which is tried again until it is back.
/// </summary>
public sealed class WriteRefusedException(string message, Exception inner) : Exception(message, inner);
