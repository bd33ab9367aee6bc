using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mockingbird.Chat.Threads;
using Mockingbird.Discord.Gateway;
using Mockingbird.Discord.Rest;

namespace Mockingbird.Discord;

/// <summary>
/// Reads what candidates wrote in their interview threads while the bot was not connected, which the gateway never
/// replays once its session is gone: each thread of this shard from the last message read there, in the order it
/// was written, through the same path as a message from the gateway. A message seen both ways is taken once, since
/// its id is the event id the session store remembers.
/// </summary>
internal sealed partial class DiscordThreadCatchUp(
    IInterviewThreads threads,
    InterviewThreadCache known,
    IDiscordRest rest,
    DiscordInterviewBot bot,
    GatewaySessions sessions,
    IOptions<DiscordOptions> options,
    ILogger<DiscordThreadCatchUp> logger)
{
    /// <summary>The most Discord gives in one read of a channel's messages.</summary>
    public const int PageSize = 100;

    /// <summary>Threads read at once: enough to finish soon after a restart, few enough to leave the rate limits to live traffic.</summary>
    public const int ThreadsAtOnce = 4;

    /// <summary>Discord's error code for a channel (here: a thread) that no longer exists.</summary>
    private const int UnknownChannel = 10003;

    private readonly DiscordOptions _options = options.Value;

    /// <summary>Striped by thread: one catch-up of a thread at a time, the background one or a live message's.</summary>
    private readonly SemaphoreSlim[] _threadGates = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>Every interview thread of this shard, after a session start.</summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        // Taken before the marks are read: a thread counts as caught up for this session only, never a later one.
        var session = sessions.Current;
        var marks = (await threads.ListMarksAsync(cancellationToken)).Where(m => OnThisShard(m.Partition)).ToList();
        if (marks.Count == 0)
        {
            return;
        }

        Log.CatchingUp(logger, marks.Count);
        await Parallel.ForEachAsync(
            marks,
            new ParallelOptions { MaxDegreeOfParallelism = ThreadsAtOnce, CancellationToken = cancellationToken },
            async (mark, token) => await CatchUpOnceAsync(mark.Thread, session, _ => Task.FromResult<InterviewThreadMark?>(mark), token));
    }

    /// <summary>
    /// One channel, before a live message there is handled, unless it was caught up on in this session already: so
    /// nothing written there earlier is taken after it, and a thread whose catch-up failed is tried again by the
    /// next message in it rather than at the next session start.
    /// </summary>
    public async Task CatchUpBeforeLiveAsync(string channel, CancellationToken cancellationToken)
    {
        if (bot.IsCaughtUp(channel))
        {
            return;
        }

        await CatchUpOnceAsync(
            channel,
            sessions.Current,
            async token => (await threads.ListMarksAsync(token)).FirstOrDefault(m => m.Thread == channel),
            cancellationToken);
    }

    /// <summary>Catches a thread up unless it is already, one caller at a time per thread.</summary>
    private async Task CatchUpOnceAsync(string thread, long session, Func<CancellationToken, Task<InterviewThreadMark?>> findMark, CancellationToken cancellationToken)
    {
        var gate = _threadGates[(int)((uint)StringComparer.Ordinal.GetHashCode(thread) % (uint)_threadGates.Length)];
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (bot.IsCaughtUp(thread))
            {
                return;
            }

            InterviewThreadMark? mark;
            try
            {
                mark = await findMark(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The next message in the thread asks again.
                Log.ThreadNotCaughtUp(logger, ex.GetType().Name, 0);
                return;
            }

            // No mark: not an interview thread, or nothing to read; either way nothing is left unread.
            if (mark is null || await CatchUpThreadAsync(mark, cancellationToken))
            {
                bot.CaughtUp(thread, session);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Discord sends a guild's events to shard <c>(guild_id &gt;&gt; 22) % shard_count</c>; that shard catches up its threads.</summary>
    private bool OnThisShard(string guildId) =>
        ulong.TryParse(guildId, NumberStyles.None, CultureInfo.InvariantCulture, out var guild)
        && (int)((guild >> 22) % (ulong)_options.ShardCount) == _options.ShardId;

    /// <summary>Reads the thread up to now; false when it stopped short.</summary>
    private async Task<bool> CatchUpThreadAsync(InterviewThreadMark mark, CancellationToken cancellationToken)
    {
        var read = mark;
        try
        {
            while (true)
            {
                var page = await rest.GetMessagesAfterAsync(mark.Thread, read.LastRead, PageSize, cancellationToken);
                foreach (var message in page.OrderBy(m => m.Id.Length).ThenBy(m => m.Id, StringComparer.Ordinal))
                {
                    // A message read from the channel does not say which server it is in; the gateway's does.
                    await bot.HandleMessageAsync(message with { GuildId = message.GuildId ?? mark.Partition }, cancellationToken);
                    read = read with { LastRead = message.Id };
                }

                if (read != mark)
                {
                    await bot.MarkReadAsync(read, cancellationToken);
                }

                if (page.Count < PageSize)
                {
                    return true;
                }
            }
        }
        catch (DiscordApiException ex) when (ex.Code == UnknownChannel)
        {
            // Deleted in Discord: let it go, as posting there would, so resuming opens a new thread.
            Log.ThreadGone(logger);
            known.Forget(mark.Thread);
            await threads.RemoveIfCurrentAsync(mark.CandidateId, mark.Thread, cancellationToken);

            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Stopping at the first failure keeps the rest of the thread for the next catch-up, still in order.
            Log.ThreadNotCaughtUp(logger, ex.GetType().Name, (ex as DiscordApiException)?.Code ?? 0);
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Catching up on {Count} interview threads of this shard")]
        public static partial void CatchingUp(ILogger logger, int count);

        [LoggerMessage(2, LogLevel.Warning, "An interview thread was deleted in Discord; it is let go of")]
        public static partial void ThreadGone(ILogger logger);

        [LoggerMessage(3, LogLevel.Warning, "Catching up on an interview thread stopped with {ErrorType} (Discord code {DiscordCode}); the next session start tries again")]
        public static partial void ThreadNotCaughtUp(ILogger logger, string errorType, int discordCode);
    }
}
