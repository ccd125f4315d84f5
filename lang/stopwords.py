"""Function words dropped from the stemmed fields and from the words a query must contain.

Checked on the unfolded word, before letter folding: «على» (a preposition) is a stop word,
«علي» (a first name) is not.
"""

from __future__ import annotations

ARABIC = frozenset(
    """
    في من إلى الى على عن مع أن إن ان أو او ثم حتى إذا اذا لقد قد لم لن لا ما هل كل بعض أي
    هذا هذه ذلك تلك هؤلاء أولئك التي الذي الذين اللذين اللتين اللواتي هو هي هم هن نحن أنا أنت أنتم
    كان كانت يكون تكون كانوا وقد وفي ومن وعلى وإلى والى وعن ومع وأن وإن وان وهو وهي ولا وما وكل
    بين عند بعد قبل غير كما فقد فإن فان لها له لهم لهن منها منه منهم عليه عليها عليهم فيه فيها فيهم
    به بها بهم إليه اليه إليها اليها إليهم اليهم هناك هنا حيث أيضا ايضا لدى لذلك وذلك ذات إلا الا
    """.split()
)

FRENCH = frozenset(
    """
    a à au aux avec ce ces cet cette c ça d dans de des du elle elles en et eux il ils je j l la le les
    leur leurs lui m ma mais me même mes moi mon n ne ni nos notre nous on ou où par pas pour qu que qui
    s sa se ses si son sur t ta te tes toi ton tu un une vos votre vous y est sont été être ont était
    """.split()
)

# Elided articles and pronouns (l'administration, d'état, qu'il, jusqu'à…).
ELISIONS = ("l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu")
