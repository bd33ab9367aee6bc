using Mockingbird.Chat;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.StudyGroups.Tests;

/// <summary>
/// A platform that remembers everything the study group asked of it. Posts are idempotent per round and deliveries
/// per key, as the real adapters promise, so a repeat shows up as a repeat call but never as a second post.
/// </summary>
public sealed class RecordingStudyPlatform(string name = "test") : IStudyGroupPlatform
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PostedRound> _posted = new(StringComparer.Ordinal);
    private readonly List<RoundPost> _posts = [];
    private readonly List<RoundPost> _updates = [];
    private readonly List<RoundPost> _unrecordedClosings = [];
    private readonly List<(string Thread, IReadOnlyList<InterviewAction> Actions, string Key)> _threadPosts = [];
    private readonly List<(string MemberId, IReadOnlyList<InterviewAction> Actions, string Key)> _privatePosts = [];
    private readonly HashSet<string> _deliveryKeys = new(StringComparer.Ordinal);
    private readonly List<string> _postCalls = [];

    /// <summary>Decides whether a post fails instead of being made: null lets it through.</summary>
    public Func<RoundPost, Exception?> PostFault { get; set; } = _ => null;

    /// <summary>Decides whether an edit of the post fails: null lets it through.</summary>
    public Func<RoundPost, Exception?> UpdateFault { get; set; } = _ => null;

    /// <summary>Decides whether showing closed a post that was never recorded fails: null lets it through.</summary>
    public Func<RoundPost, Exception?> CloseUnrecordedFault { get; set; } = _ => null;

    /// <summary>Decides whether a post in a round's thread fails: null lets it through.</summary>
    public Func<string, Exception?> ThreadFault { get; set; } = _ => null;

    /// <summary>When set, a post in a thread waits for it, so a test can see what else runs meanwhile.</summary>
    public TaskCompletionSource? HoldThreadPosts { get; set; }

    /// <summary>Round posts never return, until the caller's token is cancelled.</summary>
    public bool HangPosts { get; set; }

    /// <summary>Thread posts in flight right now, and the most ever in flight at once.</summary>
    public int ThreadPostsInFlight => _inFlight;

    public int MostThreadPostsInFlight => _mostInFlight;

    private int _inFlight;
    private int _mostInFlight;

    public string Name => name;

    public ChatMarkup Markup { get; } = new PlainMarkup();

    /// <summary>Rounds shown in channels, once each, in the order they were first posted.</summary>
    public IReadOnlyList<RoundPost> Posts
    {
        get
        {
            lock (_gate)
            {
                return [.. _posts];
            }
        }
    }

    /// <summary>Every call to post a round (its id), repeats and failures included.</summary>
    public IReadOnlyList<string> PostCalls
    {
        get
        {
            lock (_gate)
            {
                return [.. _postCalls];
            }
        }
    }

    public IReadOnlyList<RoundPost> Updates
    {
        get
        {
            lock (_gate)
            {
                return [.. _updates];
            }
        }
    }

    /// <summary>Posts of rounds never recorded as posted that were shown closed, as they were shown.</summary>
    public IReadOnlyList<RoundPost> UnrecordedClosings
    {
        get
        {
            lock (_gate)
            {
                return [.. _unrecordedClosings];
            }
        }
    }

    public IReadOnlyList<(string Thread, IReadOnlyList<InterviewAction> Actions, string Key)> ThreadPosts
    {
        get
        {
            lock (_gate)
            {
                return [.. _threadPosts];
            }
        }
    }

    public IReadOnlyList<(string MemberId, IReadOnlyList<InterviewAction> Actions, string Key)> PrivatePosts
    {
        get
        {
            lock (_gate)
            {
                return [.. _privatePosts];
            }
        }
    }

    public Task<PostedRound> PostRoundAsync(RoundPost post, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(post);
        lock (_gate)
        {
            _postCalls.Add(post.Round.Id);
        }

        if (PostFault(post) is { } fault)
        {
            return Task.FromException<PostedRound>(fault);
        }

        if (HangPosts)
        {
            // A post that never comes back: its replica dies with it when the test cancels it.
            return Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken).ContinueWith<PostedRound>(_ => throw new OperationCanceledException(cancellationToken), TaskScheduler.Default);
        }

        lock (_gate)
        {
            if (!_posted.TryGetValue(post.Round.Id, out var posted))
            {
                posted = new PostedRound($"post-{_posted.Count + 1}", $"thread-{_posted.Count + 1}");
                _posted[post.Round.Id] = posted;
                _posts.Add(post);
            }

            return Task.FromResult(posted);
        }
    }

    public Task UpdateRoundAsync(RoundPost post, PostedRound posted, CancellationToken cancellationToken)
    {
        if (UpdateFault(post) is { } fault)
        {
            return Task.FromException(fault);
        }

        lock (_gate)
        {
            _updates.Add(post);
        }

        return Task.CompletedTask;
    }

    /// <summary>Shows closed the round's post if one was ever made; a round never posted has nothing to close.</summary>
    public Task<bool> CloseUnrecordedRoundAsync(RoundPost post, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(post);
        if (CloseUnrecordedFault(post) is { } fault)
        {
            return Task.FromException<bool>(fault);
        }

        lock (_gate)
        {
            if (!_posted.ContainsKey(post.Round.Id))
            {
                return Task.FromResult(false);
            }

            _unrecordedClosings.Add(post);
            return Task.FromResult(true);
        }
    }

    public async Task PostInThreadAsync(string thread, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken)
    {
        if (ThreadFault(thread) is { } fault)
        {
            throw fault;
        }

        var now = Interlocked.Increment(ref _inFlight);
        lock (_gate)
        {
            _mostInFlight = Math.Max(_mostInFlight, now);
        }

        try
        {
            if (HoldThreadPosts is { } hold)
            {
                await hold.Task.WaitAsync(cancellationToken);
            }

            lock (_gate)
            {
                if (_deliveryKeys.Add(deliveryKey))
                {
                    _threadPosts.Add((thread, actions, deliveryKey));
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public Task PostPrivatelyAsync(string memberId, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_deliveryKeys.Add(deliveryKey))
            {
                _privatePosts.Add((memberId, actions, deliveryKey));
            }
        }

        return Task.CompletedTask;
    }

    public string NameOf(string memberId) => $"@{memberId}";

    public string ChannelLink(string channelId) => $"#{channelId}";

    public string TimeOf(DateTimeOffset at) => at.ToString("u", System.Globalization.CultureInfo.InvariantCulture);

    private sealed class PlainMarkup : ChatMarkup
    {
        public override string Title(string text) => $"# {text}";

        public override string Heading(string text) => $"## {text}";

        public override string Note(string text) => $"_{text}_";

        public override string Bold(string text) => $"*{text}*";

        /// <summary>Breaks mentions as the platforms do (a zero-width space after @), so a test can tell text went through here.</summary>
        public override string Inert(string text) => text.Replace("@", "@\u200b", StringComparison.Ordinal);
    }
}
