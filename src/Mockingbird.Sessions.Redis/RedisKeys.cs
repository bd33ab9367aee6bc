using Mockingbird.Chat.Delivery;
using Mockingbird.Interview.Planning;

namespace Mockingbird.Sessions.Redis;

/// <summary>
/// Every key the store uses. Each candidate belongs to one shard; all its keys and the shard's judging streams
/// carry the shard's hash tag (<c>{mb:3}</c>), which keeps each script within one hash slot on Redis Cluster.
/// </summary>
internal sealed class RedisKeys(string prefix, int shards)
{
    /// <summary>Keys of study groups that belong to no channel (schedules, preferences): one slot of their own.</summary>
    private readonly string _studyTag = $"{{{prefix}:study}}";

    public int Shards { get; } = shards;

    /// <summary>A key part that stands for <paramref name="text"/> without revealing it (it may name a candidate).</summary>
    public static string Digest(string text) => KeyDigest.Of(text);

    public int ShardOf(string candidateId) => (int)(StableHash.Of(candidateId, 0) % (ulong)Shards);

    public string Tag(int shard) => $"{{{prefix}:{shard}}}";

    public string Session(string candidateId) => $"{SessionPrefix(ShardOf(candidateId))}{candidateId}";

    public string Events(string candidateId) => $"{Tag(ShardOf(candidateId))}:events:{candidateId}";

    public string Seen(string candidateId) => $"{Tag(ShardOf(candidateId))}:seen:{candidateId}";

    public string History(string candidateId) => $"{Tag(ShardOf(candidateId))}:history:{candidateId}";

    public string Deliveries(string candidateId) => $"{Tag(ShardOf(candidateId))}:deliveries:{candidateId}";

    /// <summary>The candidate's last completed interview, kept a while so that its feedback can be disputed.</summary>
    public string Finished(string candidateId) => $"{Tag(ShardOf(candidateId))}:finished:{candidateId}";

    public string Thread(string candidateId) => $"{Tag(ShardOf(candidateId))}:thread:{candidateId}";

    /// <summary>How far each interview thread of the shard was read: candidate id to last read, thread and partition.</summary>
    public string ThreadMarks(int shard) => $"{Tag(shard)}:thread-marks";

    public string Jobs(int shard) => $"{Tag(shard)}:judge-jobs";

    public string DeadLetters(int shard) => $"{Tag(shard)}:judge-dead";

    /// <summary>
    /// Per taken job, when its taker's lease ends (ms on the takers' clocks): after it, another worker may take it.
    /// Under <c>h:</c> and the job id, how often it found its delivery held by another poster: total, in a row, and
    /// the part held.
    /// </summary>
    public string Leases(int shard) => $"{Tag(shard)}:judge-leases";

    /// <summary>
    /// Jobs of kinds other than an interview turn that are live, so one is queued once (an interview turn's session
    /// remembers its own).
    /// </summary>
    public string Queued(int shard) => $"{Tag(shard)}:judge-queued";

    /// <summary>The sharded pub/sub channel a write that queues a job on the shard announces it on.</summary>
    public string JobsQueued(int shard) => $"{Tag(shard)}:judge-ready";

    /// <summary>What a candidate's session key starts with, for the take script that reads the session with its job.</summary>
    public string SessionPrefix(int shard) => $"{Tag(shard)}:session:";

    /// <summary>Every channel's daily schedule: channel key to JSON.</summary>
    public string StudySchedules => $"{_studyTag}:schedules";

    /// <summary>Every member's study-group preferences: member id to JSON, so a board's are read in one call.</summary>
    public string StudyPreferences => $"{_studyTag}:preferences";

    /// <summary>
    /// The channel key a round id starts with: a channel key has exactly three parts, and the slot id after them may
    /// have colons of its own.
    /// </summary>
    public static string ChannelKeyOfRound(string roundId)
    {
        var end = -1;
        for (var part = 0; part < 3; part++)
        {
            end = roundId.IndexOf(':', end + 1);
            if (end < 0)
            {
                throw new ArgumentException("A round id starts with its channel's key (platform:space:channel).", nameof(roundId));
            }
        }

        return roundId[..end];
    }

    /// <summary>
    /// A round's keys carry its channel's shard tag, as its judging jobs do (the job's candidate is the channel key),
    /// so closing a round and queueing its jobs is one script on one slot.
    /// </summary>
    public string StudyRound(string roundId) => $"{RoundTag(roundId)}:study-round:{roundId}";

    /// <summary>Member id to <c>ordinal|first ms|last ms|revisions|text</c>.</summary>
    public string StudyAnswers(string roundId) => $"{RoundTag(roundId)}:study-answers:{roundId}";

    /// <summary>Member ids scored by ordinal: who answered, in order of first answer.</summary>
    public string StudyAnswerers(string roundId) => $"{RoundTag(roundId)}:study-answerers:{roundId}";

    public string StudyResults(string roundId) => $"{RoundTag(roundId)}:study-results:{roundId}";

    public string StudyRecentQuestions(string channelKey) => $"{Tag(ShardOf(channelKey))}:study-recent:{channelKey}";

    /// <summary>Record field (round id, newline, member id) to JSON.</summary>
    public string StudyRecords(string channelKey) => $"{Tag(ShardOf(channelKey))}:study-records:{channelKey}";

    /// <summary>Record fields scored by their day number, to drop the ones past the retention.</summary>
    public string StudyRecordDays(string channelKey) => $"{Tag(ShardOf(channelKey))}:study-record-days:{channelKey}";

    /// <summary>Ids of the shard's rounds not yet done, so the scheduler never scans the keyspace.</summary>
    public string StudyUnfinished(int shard) => $"{Tag(shard)}:study-unfinished";

    /// <summary>The rounds of this shard a member answered in, so forgetting them needs no scan.</summary>
    public string StudyMemberRounds(int shard, string memberId) => $"{Tag(shard)}:study-member:{Digest(memberId)}";

    /// <summary>The channel's suggestions waiting for an admin: short id to JSON.</summary>
    public string StudySuggestions(string channelKey) => $"{Tag(ShardOf(channelKey))}:study-suggestions:{channelKey}";

    /// <summary>The last short id given to a suggestion in the channel.</summary>
    public string StudySuggestionIds(string channelKey) => $"{Tag(ShardOf(channelKey))}:study-suggestion-ids:{channelKey}";

    /// <summary>The channel's approved suggestions, its own pool of questions: short id to JSON.</summary>
    public string StudyPool(string channelKey) => $"{Tag(ShardOf(channelKey))}:study-pool:{channelKey}";

    /// <summary>The channels of this shard a member has suggested in, so forgetting their waiting suggestions needs no scan.</summary>
    public string StudyMemberSuggestions(int shard, string memberId) => $"{Tag(shard)}:study-member-suggestions:{Digest(memberId)}";

    /// <summary>
    /// Every key of one experiment carries this tag, so each of its scripts stays in one slot.
    /// </summary>
    public string ExperimentTag(string experimentId) => $"{{{prefix}:exp:{experimentId}}}";

    /// <summary>The arms anything was recorded in.</summary>
    public string ExperimentArms(string experimentId) => $"{ExperimentTag(experimentId)}:arms";

    /// <summary>An arm's sums: judged turns, latency buckets, tokens per model, votes, raters and interview steps.</summary>
    public string ExperimentArm(string experimentId, string arm) => $"{ExperimentTag(experimentId)}:arm:{arm}";

    /// <summary>Each rater's 👍 and 👎 on the arm, by the rater's digest, so a rater's majority is known without their votes.</summary>
    public string ExperimentRaterVotes(string experimentId, string arm) => $"{ExperimentTag(experimentId)}:rater-votes:{arm}";

    /// <summary>Candidate digest to their first start (ms), to count who is eligible to return by then.</summary>
    public string ExperimentFirstStarts(string experimentId, string arm) => $"{ExperimentTag(experimentId)}:first-starts:{arm}";

    /// <summary>Candidate digest to first start (ms) of those who started again within the return window.</summary>
    public string ExperimentReturned(string experimentId, string arm) => $"{ExperimentTag(experimentId)}:returned:{arm}";

    /// <summary>The digests of an arm's candidates who finished an interview in it.</summary>
    public string ExperimentFinishers(string experimentId, string arm) => $"{ExperimentTag(experimentId)}:finishers:{arm}";

    /// <summary>A candidate's steps in the arm (<c>s:</c>, <c>a:</c>, <c>f:</c> and the step's key), each counted once.</summary>
    public string ExperimentSteps(string experimentId, string arm, string candidateId) => $"{ExperimentTag(experimentId)}:steps:{arm}:{Digest(candidateId)}";

    /// <summary>A candidate's starts in the arm, scored by when (ms).</summary>
    public string ExperimentStarts(string experimentId, string arm, string candidateId) => $"{ExperimentTag(experimentId)}:starts:{arm}:{Digest(candidateId)}";

    /// <summary>A judged turn already counted.</summary>
    public string ExperimentTurn(string experimentId, string turnKey) => $"{ExperimentTag(experimentId)}:turn:{Digest(turnKey)}";

    /// <summary>A rater's current vote on one feedback.</summary>
    public string ExperimentVote(string experimentId, string raterId, string feedbackId) => $"{ExperimentTag(experimentId)}:vote:{Digest($"{raterId}\n{feedbackId}")}";

    /// <summary>What the experiment keeps about one person, so forgetting them needs no scan.</summary>
    public string ExperimentPerson(string experimentId, string personId) => $"{ExperimentTag(experimentId)}:person:{Digest(personId)}";

    /// <summary>The arms and weights an experiment runs with (<c>v1=50,v2=50</c>), kept from its first look.</summary>
    public string ExperimentAllocation(string experimentId) => $"{ExperimentTag(experimentId)}:allocation";

    /// <summary>The version an experiment's challengers are compared with, kept from its first look.</summary>
    public string ExperimentBaseline(string experimentId) => $"{ExperimentTag(experimentId)}:baseline";

    /// <summary>The α, δ and τ² an experiment's test runs with (<c>alpha=0.05;delta=0.1;mixing=0.01</c>), kept from its first look.</summary>
    public string ExperimentTestSettings(string experimentId) => $"{ExperimentTag(experimentId)}:test";

    /// <summary>Slot to snapshot JSON.</summary>
    public string ExperimentSnapshots(string experimentId) => $"{ExperimentTag(experimentId)}:snapshots";

    /// <summary>What every replica reads together to pick prompts, apart from any one experiment's data.</summary>
    private string ExperimentControlTag => $"{{{prefix}:exp-control}}";

    /// <summary>Experiment id and version (newline between) to the stop's JSON.</summary>
    public string ExperimentStops => $"{ExperimentControlTag}:stops";

    public string ExperimentOptOuts => $"{ExperimentControlTag}:opted-out";

    /// <summary>Every experiment anything was recorded in, so a person is forgotten from each without a scan.</summary>
    public string Experiments => $"{ExperimentControlTag}:experiments";

    /// <summary>Experiment id to when a replica last declared it (ms), so one no replica declares any more can be deleted.</summary>
    public string ExperimentsLastDeclared => $"{ExperimentControlTag}:last-declared";

    /// <summary>
    /// Held by the one replica deleting an ended experiment while it does. Outside the experiment's tag, which the
    /// delete empties.
    /// </summary>
    public string ExperimentDeleting(string experimentId) => $"{ExperimentControlTag}:deleting:{experimentId}";

    /// <summary>The pub/sub channel a stop or an opt-out is announced on.</summary>
    public string ExperimentControlChannel => $"{prefix}:experiment-control";

    private string RoundTag(string roundId) => Tag(ShardOf(ChannelKeyOfRound(roundId)));
}
