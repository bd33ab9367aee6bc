using System.Text.Json;
using System.Text.Json.Serialization;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Sessions.Redis;

/// <summary>Source-generated JSON for everything the store keeps: compact, reflection-free and fast.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(InterviewSession))]
[JsonSerializable(typeof(HistoryEntry))]
[JsonSerializable(typeof(IReadOnlyList<InterviewAction>))]
internal sealed partial class RedisJson : JsonSerializerContext;
