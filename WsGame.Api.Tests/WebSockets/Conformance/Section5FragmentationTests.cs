using System.Text;
using WsGame.Api.Tests.Infrastructure;
using static WsGame.Api.Tests.WebSockets.Conformance.ConformanceAssert;

namespace WsGame.Api.Tests.WebSockets.Conformance;

/// <summary>
/// Autobahn section 5: fragmented messages are reassembled and echoed as one message; control frames may come
/// between fragments; fragmenting wrongly fails the connection with 1002.
/// </summary>
public class Section5FragmentationTests(SmallLimitEchoServerFixture server) : IClassFixture<SmallLimitEchoServerFixture>
{
    public static TheoryData<int, int> OpcodesAndFragmentCounts
    {
        get
        {
            var data = new TheoryData<int, int>();
            foreach (var opcode in new[] { WebSocketOpcode.Text, WebSocketOpcode.Binary })
            {
                foreach (var count in new[] { 2, 3, 5, 16 })
                {
                    data.Add(opcode, count);
                }
            }

            return data;
        }
    }

    public static TheoryData<int> DataOpcodes => new() { WebSocketOpcode.Text, WebSocketOpcode.Binary };

    public static TheoryData<int> ControlOpcodes => new() { WebSocketOpcode.Ping, WebSocketOpcode.Pong, WebSocketOpcode.Close };

    public static TheoryData<int, int> OpenAndInterruptingOpcodes => new()
    {
        { WebSocketOpcode.Text, WebSocketOpcode.Text },
        { WebSocketOpcode.Text, WebSocketOpcode.Binary },
        { WebSocketOpcode.Binary, WebSocketOpcode.Binary },
        { WebSocketOpcode.Binary, WebSocketOpcode.Text },
    };

    [Theory]
    [MemberData(nameof(OpcodesAndFragmentCounts))]
    public async Task A_message_in_several_fragments_is_echoed_as_one_message(int opcode, int fragments)
    {
        await using var client = await server.ConnectAsync();
        var payload = MessageFor(opcode, 1000);

        await client.SendRawAsync(Frames.Fragmented(opcode, Payloads.Split(payload, fragments)));

        await ExpectEchoAsync(client, opcode, payload);
    }

    [Theory]
    [MemberData(nameof(DataOpcodes))]
    public async Task A_message_whose_fragments_are_sent_in_separate_writes_is_echoed_as_one_message(int opcode)
    {
        await using var client = await server.ConnectAsync();
        var payload = MessageFor(opcode, 300);
        var pieces = Payloads.Split(payload, 3);

        await client.SendFrameAsync(opcode, pieces[0], fin: false);
        await Task.Delay(20);
        await client.SendFrameAsync(WebSocketOpcode.Continuation, pieces[1], fin: false);
        await Task.Delay(20);
        await client.SendFrameAsync(WebSocketOpcode.Continuation, pieces[2], fin: true);

        await ExpectEchoAsync(client, opcode, payload);
    }

    [Theory]
    [MemberData(nameof(DataOpcodes))]
    public async Task A_message_of_one_byte_fragments_is_echoed_as_one_message(int opcode)
    {
        await using var client = await server.ConnectAsync();
        var payload = opcode == WebSocketOpcode.Text ? Encoding.UTF8.GetBytes("Hello-µ@ßöäüàá-UTF-8!! κόσμε 😀") : Payloads.Binary(64);

        await client.SendRawAsync(Frames.Fragmented(opcode, Payloads.Chunks(payload, 1)));

        await ExpectEchoAsync(client, opcode, payload);
    }

    [Theory]
    [MemberData(nameof(DataOpcodes))]
    public async Task A_fragmented_message_sent_byte_by_byte_is_echoed_as_one_message(int opcode)
    {
        await using var client = await server.ConnectAsync();
        var payload = MessageFor(opcode, 200);

        await client.SendRawBytewiseAsync(Frames.Fragmented(opcode, Payloads.Split(payload, 4)));

        await ExpectEchoAsync(client, opcode, payload);
    }

    [Theory]
    [MemberData(nameof(DataOpcodes))]
    public async Task A_message_of_empty_fragments_is_echoed_as_one_empty_message(int opcode)
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(Frames.Fragmented(opcode, [[], [], []]));

        await ExpectEchoAsync(client, opcode, []);
    }

    [Fact]
    public async Task A_message_with_empty_first_and_last_fragments_is_echoed_whole()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(Frames.Fragmented(WebSocketOpcode.Text, [[], "fragmented"u8.ToArray(), []]));

        await ExpectTextEchoAsync(client, "fragmented");
    }

    [Fact]
    public async Task A_ping_between_fragments_is_answered_and_the_message_still_completes()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(Frames.Concat(
            Frames.Text("frag", fin: false),
            Frames.Ping("between"),
            RawWebSocketClient.BuildFrame(WebSocketOpcode.Continuation, "ment"u8)));

        await ExpectPongAsync(client, "between"u8.ToArray());
        await ExpectTextEchoAsync(client, "fragment");
    }

    [Fact]
    public async Task A_ping_between_fragments_is_answered_before_the_message_is_finished()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(Frames.Concat(Frames.Text("frag", fin: false), Frames.Ping("while open")));
        await ExpectPongAsync(client, "while open"u8.ToArray());

        await client.SendFrameAsync(WebSocketOpcode.Continuation, "ment"u8.ToArray());
        await ExpectTextEchoAsync(client, "fragment");
    }

    [Fact]
    public async Task Several_pings_and_a_pong_between_fragments_are_handled_and_the_message_completes()
    {
        await using var client = await server.ConnectAsync();
        var payload = Payloads.Binary(30);

        await client.SendRawAsync(Frames.Concat(
            RawWebSocketClient.BuildFrame(WebSocketOpcode.Binary, payload.AsSpan(0, 10), fin: false),
            Frames.Ping("one"),
            RawWebSocketClient.BuildFrame(WebSocketOpcode.Pong, "unsolicited"u8),
            RawWebSocketClient.BuildFrame(WebSocketOpcode.Continuation, payload.AsSpan(10, 10), fin: false),
            Frames.Ping("two"),
            Frames.Ping("three"),
            RawWebSocketClient.BuildFrame(WebSocketOpcode.Continuation, payload.AsSpan(20, 10))));

        await ExpectPongAsync(client, "one"u8.ToArray());
        await ExpectPongAsync(client, "two"u8.ToArray());
        await ExpectPongAsync(client, "three"u8.ToArray());
        await ExpectEchoAsync(client, WebSocketOpcode.Binary, payload);
    }

    [Fact]
    public async Task A_fragmented_message_with_a_ping_between_sent_byte_by_byte_is_handled()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawBytewiseAsync(Frames.Concat(
            Frames.Text("frag", fin: false),
            Frames.Ping("between"),
            RawWebSocketClient.BuildFrame(WebSocketOpcode.Continuation, "ment"u8)));

        await ExpectPongAsync(client, "between"u8.ToArray());
        await ExpectTextEchoAsync(client, "fragment");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_continuation_frame_without_a_started_message_fails_the_connection_with_1002(bool fin)
    {
        await using var client = await server.ConnectAsync();

        await client.SendFrameAsync(WebSocketOpcode.Continuation, "orphan"u8.ToArray(), fin: fin);

        await ExpectFailureAsync(client, 1002);
    }

    [Fact]
    public async Task A_continuation_frame_as_bytes_without_a_started_message_fails_without_a_close_reply()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(new byte[]
        {
            0x80,                   // FIN + continuation
            0x82,                   // MASK + length 2
            0x00, 0x00, 0x00, 0x00, // mask key 0
            0x68, 0x69,             // "hi"
        });

        await ExpectFailureAsync(client, 1002, replyWithClose: false);
    }

    [Fact]
    public async Task A_continuation_frame_after_a_finished_message_fails_the_connection_after_the_echo()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(Frames.Concat(
            Frames.Fragmented(WebSocketOpcode.Text, ["fragm"u8.ToArray(), "ented"u8.ToArray()]),
            RawWebSocketClient.BuildFrame(WebSocketOpcode.Continuation, "too late"u8)));

        await ExpectTextEchoAsync(client, "fragmented");
        await ExpectFailureAsync(client, 1002);
    }

    [Theory]
    [MemberData(nameof(OpenAndInterruptingOpcodes))]
    public async Task A_new_data_frame_while_a_fragmented_message_is_open_fails_the_connection_with_1002(int openOpcode, int interruptingOpcode)
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(Frames.Concat(
            RawWebSocketClient.BuildFrame(openOpcode, "open"u8, fin: false),
            RawWebSocketClient.BuildFrame(interruptingOpcode, "interrupting"u8),
            RawWebSocketClient.BuildFrame(WebSocketOpcode.Continuation, "rest"u8)));

        await ExpectFailureAsync(client, 1002);
    }

    [Fact]
    public async Task A_non_final_text_frame_while_a_fragmented_message_is_open_fails_the_connection_with_1002()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(Frames.Concat(
            Frames.Text("first", fin: false),
            Frames.Text("second", fin: false)));

        await ExpectFailureAsync(client, 1002);
    }

    [Theory]
    [MemberData(nameof(ControlOpcodes))]
    public async Task A_fragmented_control_frame_fails_the_connection_with_1002(int opcode)
    {
        await using var client = await server.ConnectAsync();
        var payload = opcode == WebSocketOpcode.Close ? RawWebSocketClient.ClosePayload(1000) : "control"u8.ToArray();

        await client.SendRawAsync(Frames.Concat(
            RawWebSocketClient.BuildFrame(opcode, payload, fin: false),
            RawWebSocketClient.BuildFrame(WebSocketOpcode.Continuation, "tail"u8)));

        await ExpectFailureAsync(client, 1002);
    }

    [Fact]
    public async Task A_non_final_ping_inside_a_fragmented_message_fails_the_connection_with_1002()
    {
        await using var client = await server.ConnectAsync();

        await client.SendRawAsync(Frames.Concat(
            Frames.Text("frag", fin: false),
            RawWebSocketClient.BuildFrame(WebSocketOpcode.Ping, "ping"u8, fin: false),
            RawWebSocketClient.BuildFrame(WebSocketOpcode.Continuation, "ment"u8)));

        await ExpectFailureAsync(client, 1002);
    }

    private static byte[] MessageFor(int opcode, int length)
        => opcode == WebSocketOpcode.Text ? Payloads.Text(length) : Payloads.Binary(length);
}
