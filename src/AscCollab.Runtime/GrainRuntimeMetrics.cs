namespace AscCollab.Runtime;

/// <summary>Names of the runtime's instruments, for hosts that export them (<c>AddMeter(GrainRuntimeMetrics.MeterName)</c>).</summary>
public static class GrainRuntimeMetrics
{
    public const string MeterName = "AscCollab.Runtime";
    public const string Activations = "asccollab.runtime.activations";
    public const string Calls = "asccollab.runtime.calls";
    public const string QueueLength = "asccollab.runtime.queue_length";
    public const string CallDuration = "asccollab.runtime.call.duration";
    public const string StorageWriteDuration = "asccollab.runtime.storage.write.duration";
    public const string StorageWriteRows = "asccollab.runtime.storage.write.rows";
    public const string GrainTypeTag = "grain.type";
}
