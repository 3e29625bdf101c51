#pragma once
/// @file
/// osteon's losses: focal, Dice (and Jaccard), generalised Dice, Tversky, cross-entropy, and the
/// compounds of the seed studies (CE + focal, Dice + CE, Dice + focal, Dice + L2), each as an
/// inline `functional::` function and a torch module. See docs/losses.md.

#include "osteon/losses/ce_focal.hpp"
#include "osteon/losses/cross_entropy.hpp"
#include "osteon/losses/dice.hpp"
#include "osteon/losses/dice_ce.hpp"
#include "osteon/losses/dice_focal.hpp"
#include "osteon/losses/dice_l2.hpp"
#include "osteon/losses/focal.hpp"
#include "osteon/losses/generalized_dice.hpp"
#include "osteon/losses/tversky.hpp"
