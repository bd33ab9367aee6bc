using Mockingbird.Testing;

namespace Mockingbird.Sessions.Redis.Tests;

/// <summary>The test fixture's own raw client, which the benchmark reads key sizes and command counts with.</summary>
public sealed class RedisServerFixtureTests
{
    [Fact]
    public async Task A_reply_too_large_for_one_read_is_read_whole_even_when_a_chunk_ends_at_a_line_break()
    {
        await using var server = await RedisServer.StartAsync();
        await using (var redis = await RedisFixture.ConnectAsync(server))
        {
            // About 1.3 MB of KEYS reply: more than the client's 1 MB read buffer, so it arrives in several chunks.
            var batch = redis.GetDatabase().CreateBatch();
            var writes = Enumerable.Range(0, 20_000).Select(i => batch.StringSetAsync($"fixture:{i:D6}:{new string('k', 40)}", "v")).ToList();
            batch.Execute();
            await Task.WhenAll(writes);
        }

        var reply = await server.CommandAsync("KEYS", "fixture:*");

        Assert.StartsWith("*20000\r\n", reply, StringComparison.Ordinal);
        Assert.Equal(20_000, reply.Split("\r\n").Count(line => line.StartsWith("fixture:", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("*3\r\n$1\r\na\r\n", false)]
    [InlineData("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", true)]
    [InlineData("$5\r\nhel", false)]
    [InlineData("$5\r\nhello\r\n", true)]
    [InlineData("$4\r\né\r\n\r\n", true)]
    [InlineData("*2\r\n:1\r\n*1\r\n", false)]
    [InlineData("*-1\r\n", true)]
    [InlineData("-ERR no\r\n", true)]
    public void A_reply_is_whole_only_when_every_element_of_it_has_arrived(string received, bool whole)
    {
        Assert.Equal(whole, RespClient.IsComplete(System.Text.Encoding.UTF8.GetBytes(received)));
    }

    [Theory]
    [InlineData("PING", "+PONG\r\n")]
    [InlineData("GET", "$-1\r\n")]
    public async Task Short_replies_and_a_missing_value_are_read_as_they_come(string command, string expected)
    {
        await using var server = await RedisServer.StartAsync();

        var reply = command == "GET" ? await server.CommandAsync("GET", "no-such-key") : await server.CommandAsync(command);

        Assert.Equal(expected, reply);
    }
}
