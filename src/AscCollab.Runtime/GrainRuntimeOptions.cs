namespace AscCollab.Runtime;

public sealed class GrainRuntimeOptions
{
    public const string SectionName = "GrainRuntime";

    /// <summary>An activation idle this long is collected.</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the collector looks for idle activations.</summary>
    public TimeSpan CollectionInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A call not completed within this time fails with <see cref="GrainCallTimeoutException"/>.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the reminder service re-reads the reminder table.</summary>
    public TimeSpan ReminderRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Calls queued on one activation beyond this are refused with <see cref="GrainOverloadedException"/>.</summary>
    public int MaxQueueLength { get; set; } = 10_000;
}

public sealed class GrainCallTimeoutException(string message) : TimeoutException(message);

public sealed class GrainOverloadedException(string message) : InvalidOperationException(message);
