// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IERC20} from "../interfaces/IERC20.sol";
import {IStrategy} from "../interfaces/IStrategy.sol";
import {IDelegationManager} from "../interfaces/IDelegationManager.sol";
import {IStrategyManager} from "../interfaces/IStrategyManager.sol";
import {Initializable} from "../utils/Initializable.sol";
import {Ownable} from "../utils/Ownable.sol";
import {Pausable} from "../utils/Pausable.sol";
import {IPauserRegistry} from "../interfaces/IPauserRegistry.sol";
import {StrategyManagerStorage} from "./StrategyManagerStorage.sol";

/// @title Deposits into whitelisted strategies; shares are credited to the staker's operator.
contract StrategyManager is Initializable, Ownable, Pausable, StrategyManagerStorage {
    /// @notice The caller is not the strategy whitelister.
    error OnlyStrategyWhitelister();
    /// @notice The strategy is not whitelisted for deposits.
    error StrategyNotWhitelisted();
    /// @notice The token transfer returned false.
    error TransferFailed();
    /// @notice The staker holds shares in 32 strategies already.
    error MaxStrategiesExceeded();
    /// @notice Array arguments that must have one entry each differ in length (or are empty).
    error InputArrayLengthMismatch();

    uint8 internal constant PAUSED_DEPOSITS = 0;

    /// @notice The DelegationManager.
    IDelegationManager public immutable delegation;
    /// @notice The EigenPodManager (an EmptyContract on the devnet).
    address public immutable eigenPodManager;
    /// @notice The Slasher (an EmptyContract on the devnet).
    address public immutable slasher;

    /// @notice `staker` deposited `token` into `strategy` for `shares`.
    event Deposit(address staker, IERC20 token, IStrategy strategy, uint256 shares);
    /// @notice The strategy whitelister changed.
    event StrategyWhitelisterChanged(address previousAddress, address newAddress);
    /// @notice `strategy` accepts deposits.
    event StrategyAddedToDepositWhitelist(IStrategy strategy);
    /// @notice `strategy` no longer accepts deposits.
    event StrategyRemovedFromDepositWhitelist(IStrategy strategy);
    /// @notice Third-party transfers for `strategy` are forbidden (`value`) or not.
    event UpdatedThirdPartyTransfersForbidden(IStrategy strategy, bool value);

    constructor(IDelegationManager _delegation, address _eigenPodManager, address _slasher) {
        delegation = _delegation;
        eigenPodManager = _eigenPodManager;
        slasher = _slasher;
        _disableInitializers();
    }

    /// @notice Sets the owner, the strategy whitelister and the pauser. Once, through the proxy.
    function initialize(address initialOwner, address initialStrategyWhitelister, IPauserRegistry _pauserRegistry, uint256 initialPausedStatus)
        external
        initializer
    {
        _initializePauser(_pauserRegistry, initialPausedStatus);
        _transferOwnership(initialOwner);
        _setStrategyWhitelister(initialStrategyWhitelister);
    }

    modifier onlyStrategyWhitelister() {
        if (!(msg.sender == strategyWhitelister)) revert OnlyStrategyWhitelister();
        _;
    }

    /// @notice Moves `amount` of `token` from the caller into a whitelisted strategy and credits the shares (also to the caller's operator). Not while deposits are paused.
    function depositIntoStrategy(IStrategy strategy, IERC20 token, uint256 amount)
        external
        onlyWhenNotPaused(PAUSED_DEPOSITS)
        returns (uint256 shares)
    {
        if (!(strategyIsWhitelistedForDeposit[strategy])) revert StrategyNotWhitelisted();
        if (!(token.transferFrom(msg.sender, address(strategy), amount))) revert TransferFailed();
        shares = strategy.deposit(token, amount);
        address staker = msg.sender;
        if (stakerStrategyShares[staker][strategy] == 0) {
            if (!(stakerStrategyList[staker].length < 32)) revert MaxStrategiesExceeded();
            stakerStrategyList[staker].push(strategy);
        }
        stakerStrategyShares[staker][strategy] += shares;
        emit Deposit(staker, token, strategy, shares);
        delegation.increaseDelegatedShares(staker, strategy, shares);
    }

    /// @notice Whitelists strategies for deposits (with their third-party-transfer flags). Strategy whitelister only.
    function addStrategiesToDepositWhitelist(IStrategy[] calldata strategies, bool[] calldata thirdPartyForbidden)
        external
        onlyStrategyWhitelister
    {
        if (!(strategies.length == thirdPartyForbidden.length)) revert InputArrayLengthMismatch();
        for (uint256 i = 0; i < strategies.length; i++) {
            if (!strategyIsWhitelistedForDeposit[strategies[i]]) {
                strategyIsWhitelistedForDeposit[strategies[i]] = true;
                emit StrategyAddedToDepositWhitelist(strategies[i]);
                thirdPartyTransfersForbidden[strategies[i]] = thirdPartyForbidden[i];
                emit UpdatedThirdPartyTransfersForbidden(strategies[i], thirdPartyForbidden[i]);
            }
        }
    }

    /// @notice Takes strategies off the deposit whitelist. Strategy whitelister only.
    function removeStrategiesFromDepositWhitelist(IStrategy[] calldata strategies) external onlyStrategyWhitelister {
        for (uint256 i = 0; i < strategies.length; i++) {
            if (strategyIsWhitelistedForDeposit[strategies[i]]) {
                strategyIsWhitelistedForDeposit[strategies[i]] = false;
                emit StrategyRemovedFromDepositWhitelist(strategies[i]);
            }
        }
    }

    /// @notice Replaces the strategy whitelister. Owner only; emits StrategyWhitelisterChanged.
    function setStrategyWhitelister(address newStrategyWhitelister) external onlyOwner {
        _setStrategyWhitelister(newStrategyWhitelister);
    }

    function _setStrategyWhitelister(address a) internal {
        emit StrategyWhitelisterChanged(strategyWhitelister, a);
        strategyWhitelister = a;
    }

    /// @notice Number of strategies a staker holds shares in.
    function stakerStrategyListLength(address staker) external view returns (uint256) {
        return stakerStrategyList[staker].length;
    }

    /// @notice A staker's strategies and shares.
    function getDeposits(address staker) external view returns (IStrategy[] memory strategies, uint256[] memory shares) {
        strategies = stakerStrategyList[staker];
        shares = new uint256[](strategies.length);
        for (uint256 i = 0; i < strategies.length; i++) shares[i] = stakerStrategyShares[staker][strategies[i]];
    }
}
