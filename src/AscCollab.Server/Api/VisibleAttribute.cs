using System.ComponentModel.DataAnnotations;
using AscCollab.Grains;

namespace AscCollab.Server;

/// <summary>
/// A title or name must show something (<see cref="VisibleText"/>): refused at the edge with the
/// field named in <c>errors</c>; the grains check the same rule for every path.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
internal sealed class VisibleAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => value is not string text || string.IsNullOrWhiteSpace(text) || VisibleText.HasVisible(text);

    public override string FormatErrorMessage(string name) => VisibleText.Refusal(name);
}
