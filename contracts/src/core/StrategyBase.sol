// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IERC20} from "../interfaces/IERC20.sol";
import {IStrategy} from "../interfaces/IStrategy.sol";
import {Initializable} from "../utils/Initializable.sol";
import {Pausable} from "../utils/Pausable.sol";
import {IPauserRegistry} from "../interfaces/IPauserRegistry.sol";
import {StrategyBaseStorage} from "./StrategyBaseStorage.sol";

/// @title Single-token strategy holding deposits made through the StrategyManager.
/// @notice Share price uses a virtual offset of 1e3 shares / 1e3 tokens (as EigenLayer M2),
///         so the first deposit of n tokens mints n shares.
contract StrategyBase is Initializable, Pausable, StrategyBaseStorage {
    /// @notice The caller is not the StrategyManager.
    error OnlyStrategyManager();
    /// @notice The token is not the strategy's underlying token.
    error OnlyUnderlyingToken();
    /// @notice The deposit would mint no share.
    error NewSharesZero();
    /// @notice More shares than the strategy has.
    error WithdrawalAmountExceedsTotalDeposits();
    /// @notice The token transfer returned false.
    error TransferFailed();

    uint256 internal constant SHARES_OFFSET = 1e3;
    uint256 internal constant BALANCE_OFFSET = 1e3;
    uint8 internal constant PAUSED_DEPOSITS = 0;
    uint8 internal constant PAUSED_WITHDRAWALS = 1;

    /// @notice The StrategyManager.
    address public immutable strategyManager;

    constructor(address _strategyManager) {
        strategyManager = _strategyManager;
        _disableInitializers();
    }

    /// @notice Sets the underlying token and the pauser registry. Once, through the proxy.
    function initialize(IERC20 _underlyingToken, IPauserRegistry _pauserRegistry) public initializer {
        underlyingToken = _underlyingToken;
        _initializePauser(_pauserRegistry, 0);
    }

    modifier onlyStrategyManager() {
        if (!(msg.sender == strategyManager)) revert OnlyStrategyManager();
        _;
    }

    /// @notice Called after the StrategyManager moved `amount` tokens here; returns new shares.
    function deposit(IERC20 token, uint256 amount)
        external
        onlyWhenNotPaused(PAUSED_DEPOSITS)
        onlyStrategyManager
        returns (uint256 newShares)
    {
        if (!(token == underlyingToken)) revert OnlyUnderlyingToken();
        uint256 priorShares = totalShares;
        uint256 balanceBefore = underlyingToken.balanceOf(address(this)) - amount;
        newShares = (amount * (priorShares + SHARES_OFFSET)) / (balanceBefore + BALANCE_OFFSET);
        if (!(newShares != 0)) revert NewSharesZero();
        totalShares = priorShares + newShares;
    }

    /// @notice Pays out `shares` worth of tokens to `recipient` (StrategyManager only).
    function withdraw(address recipient, IERC20 token, uint256 shares)
        external
        onlyWhenNotPaused(PAUSED_WITHDRAWALS)
        onlyStrategyManager
    {
        if (!(token == underlyingToken)) revert OnlyUnderlyingToken();
        if (!(shares <= totalShares)) revert WithdrawalAmountExceedsTotalDeposits();
        uint256 amount = sharesToUnderlyingView(shares);
        totalShares -= shares;
        if (!(underlyingToken.transfer(recipient, amount))) revert TransferFailed();
    }

    /// @notice Tokens `shares` are worth now.
    function sharesToUnderlyingView(uint256 shares) public view returns (uint256) {
        return (underlyingToken.balanceOf(address(this)) + BALANCE_OFFSET) * shares / (totalShares + SHARES_OFFSET);
    }

    /// @notice Tokens `shares` are worth now.
    function sharesToUnderlying(uint256 shares) external view returns (uint256) {
        return sharesToUnderlyingView(shares);
    }

    /// @notice Shares `amount` tokens would buy now.
    function underlyingToSharesView(uint256 amount) public view returns (uint256) {
        return amount * (totalShares + SHARES_OFFSET) / (underlyingToken.balanceOf(address(this)) + BALANCE_OFFSET);
    }

    /// @notice A one-line description of the strategy.
    function explanation() external pure returns (string memory) {
        return "Base Strategy implementation to inherit from for more complex implementations";
    }
}
