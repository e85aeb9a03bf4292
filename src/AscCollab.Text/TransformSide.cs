namespace AscCollab.Text;

/// <summary>Which of two inserts at the same position goes first: the Left one does.</summary>
public enum TransformSide
{
    Left,
    Right,
}
