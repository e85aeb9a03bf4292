using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AscCollab.Runtime;

/// <summary>Binds the "GrainRuntime" section when the host has configuration; a bare service collection works without one.</summary>
internal sealed class GrainRuntimeOptionsFromConfiguration(IServiceProvider services) : IConfigureOptions<GrainRuntimeOptions>
{
    public void Configure(GrainRuntimeOptions options) =>
        services.GetService<IConfiguration>()?.GetSection(GrainRuntimeOptions.SectionName).Bind(options);
}

internal sealed class GrainRuntimeOptionsValidator : IValidateOptions<GrainRuntimeOptions>
{
    public ValidateOptionsResult Validate(string? name, GrainRuntimeOptions options)
    {
        var failures = new List<string>();
        Positive(nameof(options.CollectionAge), options.CollectionAge);
        Positive(nameof(options.CollectionInterval), options.CollectionInterval);
        Positive(nameof(options.CallTimeout), options.CallTimeout);
        Positive(nameof(options.ReminderRefreshInterval), options.ReminderRefreshInterval);
        if (options.MaxQueueLength < 1)
        {
            failures.Add($"GrainRuntime:{nameof(options.MaxQueueLength)} must be at least 1 (was {options.MaxQueueLength}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Positive(string property, TimeSpan value)
        {
            // Timers reject anything above ~49 days; no sensible setting is near that.
            if (value <= TimeSpan.Zero || value > TimeSpan.FromDays(30))
            {
                failures.Add($"GrainRuntime:{property} must be between 0 and 30 days, exclusive of 0 (was {value}).");
            }
        }
    }
}
