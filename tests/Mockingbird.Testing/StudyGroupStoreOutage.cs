using System.Reflection;
using System.Runtime.ExceptionServices;
using Mockingbird.StudyGroups;

namespace Mockingbird.Testing;

/// <summary>
/// A study-group store whose chosen calls fail as they do while Redis cannot be reached, every other call reaching the
/// store beneath: a round's post can reach the channel while recording it fails.
/// </summary>
public class StudyGroupStoreOutage : DispatchProxy
{
    private static readonly MethodInfo FailedTask = typeof(Task).GetMethods()
        .Single(m => m.Name == nameof(Task.FromException) && m.IsGenericMethodDefinition);

    private readonly Lock _gate = new();
    private readonly HashSet<string> _failing = new(StringComparer.Ordinal);
    private IStudyGroupStore _inner = null!;

    /// <summary>The store as its callers see it, and the outage that decides which of its calls fail.</summary>
    public static (IStudyGroupStore Store, StudyGroupStoreOutage Outage) Around(IStudyGroupStore inner)
    {
        var store = Create<IStudyGroupStore, StudyGroupStoreOutage>();
        var outage = (StudyGroupStoreOutage)(object)store;
        outage._inner = inner;
        return (store, outage);
    }

    /// <summary>Calls of the store's method <paramref name="method"/> fail from now on, until <see cref="End"/>.</summary>
    public void Fail(string method)
    {
        lock (_gate)
        {
            _failing.Add(method);
        }
    }

    /// <summary>The store can be reached again.</summary>
    public void End()
    {
        lock (_gate)
        {
            _failing.Clear();
        }
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        bool failing;
        lock (_gate)
        {
            failing = _failing.Contains(targetMethod.Name);
        }

        if (failing)
        {
            var unreachable = new TimeoutException("The study-group store could not be reached.");
            return targetMethod.ReturnType == typeof(Task)
                ? Task.FromException(unreachable)
                : FailedTask.MakeGenericMethod(targetMethod.ReturnType.GetGenericArguments()[0]).Invoke(null, [unreachable]);
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is { } inner)
        {
            ExceptionDispatchInfo.Capture(inner).Throw();
            throw;
        }
    }
}
