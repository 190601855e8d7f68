using System.Globalization;
using System.Net;
using AspNetBuiltIn;

// The peer WsGame must beat: ASP.NET Core's built-in WebSocket middleware, written efficiently.
//   dotnet bench/peers/AspNetBuiltIn/bin/Release/net10.0/AspNetBuiltIn.dll PORT
// Listens on 127.0.0.1:PORT only and prints "listening on 127.0.0.1:PORT" once ready.
//   /ws/echo  every message back with its type (pooled receive buffer per connection)
//   /ws/chat  the seed chat room (one serialization per broadcast, one sender loop per client)
if (args.Length < 1 || !int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
{
    Console.Error.WriteLine("usage: AspNetBuiltIn PORT");
    return 2;
}

var builder = WebApplication.CreateBuilder(args[1..]);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
var app = builder.Build();
app.UseWebSockets();

var stopping = app.Lifetime.ApplicationStopping;
var room = new ChatRoom();

app.Map("/ws/echo", async context =>
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
        return;
    }
    using var socket = await context.WebSockets.AcceptWebSocketAsync();
    await Echo.RunAsync(socket, Peer.MaxMessageBytes, stopping);
});

app.Map("/ws/chat", async context =>
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
        return;
    }
    using var socket = await context.WebSockets.AcceptWebSocketAsync();
    await Chat.RunAsync(socket, room, Peer.MaxMessageBytes, Peer.SendQueueLimit, stopping);
});

// SIGTERM and SIGINT stop the host; the stopping token aborts open sockets so shutdown is prompt.
await app.StartAsync();
Console.WriteLine($"listening on 127.0.0.1:{port}");
await app.WaitForShutdownAsync();
return 0;
