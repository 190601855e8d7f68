using WsGame.Api.WebSockets.Connection;
using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.Tests.WebSockets.Connection;

/// <summary>The ring of frames a connection waits to write: order kept through growth, wrap-around and draining.</summary>
public sealed class SendQueueTests
{
    private static OutboundMessage Message(int number) => OutboundMessage.Create(Opcode.Text, [(byte)number]);

    private static int Number(OutboundMessage message) => message.Frame.Span[^1];

    [Fact]
    public void Messages_come_out_in_the_order_they_went_in_across_growth_and_wrap_around()
    {
        var queue = new SendQueue();
        var next = 0;
        var expected = 0;
        var taken = new List<int>();

        // Uneven rounds of putting in and taking out, so the ring wraps while it grows and shrinks.
        foreach (var (add, take) in new[] { (3, 2), (5, 1), (9, 12), (100, 40), (20, 80), (7, 7) })
        {
            for (var i = 0; i < add; i++)
            {
                queue.Enqueue(Message(next++ % 256));
            }
            for (var i = 0; i < take && queue.TryTake(out var entry); i++)
            {
                taken.Add(Number(entry.Message));
            }
        }
        while (queue.TryTake(out var rest))
        {
            taken.Add(Number(rest.Message));
        }

        Assert.True(queue.IsEmpty);
        Assert.Equal(next, taken.Count);
        foreach (var number in taken)
        {
            Assert.Equal(expected++ % 256, number);
        }
    }

    [Fact]
    public void A_new_queue_is_empty_and_one_message_makes_it_not_empty_until_taken()
    {
        var queue = new SendQueue();
        Assert.True(queue.IsEmpty);

        queue.Enqueue(Message(7));
        Assert.False(queue.IsEmpty);

        Assert.True(queue.TryTake(out var entry));
        Assert.Equal(7, Number(entry.Message));
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public async Task Senders_on_many_threads_lose_nothing_and_keep_each_senders_order()
    {
        var queue = new SendQueue();
        const int senders = 4, each = 5_000;
        var lastSeen = new int[senders];
        Array.Fill(lastSeen, -1);
        var received = 0;

        var producers = Enumerable.Range(0, senders).Select(sender => Task.Run(() =>
        {
            for (var i = 0; i < each; i++)
            {
                queue.Enqueue(OutboundMessage.Create(Opcode.Text, [(byte)sender, (byte)(i >> 8), (byte)i]));
            }
        })).ToArray();
        var consumer = Task.Run(() =>
        {
            while (received < senders * each)
            {
                if (!queue.TryTake(out var entry))
                {
                    Thread.Yield();
                    continue;
                }
                var message = entry.Message;
                var bytes = message.Frame.Span[^3..];
                var sender = bytes[0];
                var index = (bytes[1] << 8) | bytes[2];
                Assert.Equal(lastSeen[sender] + 1, index);
                lastSeen[sender] = index;
                received++;
            }
        });

        await Task.WhenAll([.. producers, consumer]).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(senders * each, received);
        Assert.True(queue.IsEmpty);
    }
}
