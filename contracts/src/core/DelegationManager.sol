// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IStrategy} from "../interfaces/IStrategy.sol";
import {IDelegationManager} from "../interfaces/IDelegationManager.sol";
import {IStrategyManager} from "../interfaces/IStrategyManager.sol";
import {ISignatureUtils} from "../interfaces/ISignatureUtils.sol";
import {Initializable} from "../utils/Initializable.sol";
import {Ownable} from "../utils/Ownable.sol";
import {Pausable} from "../utils/Pausable.sol";
import {IPauserRegistry} from "../interfaces/IPauserRegistry.sol";
import {DelegationManagerStorage} from "./DelegationManagerStorage.sol";

/// @title Operators and delegation (the subset of EigenLayer M2 an AVS devnet needs).
/// @notice registerAsOperator self-delegates; deposits of a delegated staker increase the
///         operator's shares. Withdrawals/undelegation are not modelled.
contract DelegationManager is Initializable, Ownable, Pausable, DelegationManagerStorage {
    /// @notice Array arguments that must have one entry each differ in length (or are empty).
    error InputArrayLengthMismatch();
    /// @notice A withdrawal delay above MAX_WITHDRAWAL_DELAY_BLOCKS.
    error WithdrawalDelayExceedsMax();
    /// @notice The caller is delegated (or an operator) already.
    error ActivelyDelegated();
    /// @notice The operator registered no key.
    error OperatorNotRegistered();
    /// @notice Delegation approvers are not modelled by this devnet stack.
    error DelegationApproverNotSupported();
    /// @notice The caller is not the StrategyManager.
    error OnlyStrategyManagerOrEigenPodManager();
    /// @notice The earnings receiver is the zero address.
    error InputAddressZero();
    /// @notice stakerOptOutWindowBlocks above MAX_STAKER_OPT_OUT_WINDOW_BLOCKS.
    error StakerOptOutWindowBlocksExceedsMax();
    /// @notice stakerOptOutWindowBlocks may only grow.
    error StakerOptOutWindowBlocksCannotDecrease();

    uint8 internal constant PAUSED_NEW_DELEGATION = 0;
    /// @notice Largest withdrawal delay (blocks).
    uint256 public constant MAX_WITHDRAWAL_DELAY_BLOCKS = 216000;
    /// @notice Largest staker opt-out window (blocks).
    uint256 public constant MAX_STAKER_OPT_OUT_WINDOW_BLOCKS = 180 days / 12;

    /// @notice The StrategyManager.
    IStrategyManager public immutable strategyManager;
    /// @notice The Slasher (an EmptyContract on the devnet).
    address public immutable slasher;
    /// @notice The EigenPodManager (an EmptyContract on the devnet).
    address public immutable eigenPodManager;

    /// @notice An operator registered.
    event OperatorRegistered(address indexed operator, OperatorDetails operatorDetails);
    /// @notice An operator's details changed.
    event OperatorDetailsModified(address indexed operator, OperatorDetails newOperatorDetails);
    /// @notice An operator's metadata URI was set.
    event OperatorMetadataURIUpdated(address indexed operator, string metadataURI);
    /// @notice `operator`'s delegated shares in `strategy` grew by `shares` (a deposit by `staker`).
    event OperatorSharesIncreased(address indexed operator, address staker, IStrategy strategy, uint256 shares);
    /// @notice `staker` delegated to `operator`.
    event StakerDelegated(address indexed staker, address indexed operator);
    /// @notice The minimum withdrawal delay (blocks) changed.
    event MinWithdrawalDelayBlocksSet(uint256 previousValue, uint256 newValue);
    /// @notice A strategy's withdrawal delay (blocks) changed.
    event StrategyWithdrawalDelayBlocksSet(IStrategy strategy, uint256 previousValue, uint256 newValue);

    constructor(IStrategyManager _strategyManager, address _slasher, address _eigenPodManager) {
        strategyManager = _strategyManager;
        slasher = _slasher;
        eigenPodManager = _eigenPodManager;
        _disableInitializers();
    }

    /// @notice Sets the owner, the pauser, the minimum and per-strategy withdrawal delays. Once, through the proxy.
    function initialize(
        address initialOwner,
        IPauserRegistry _pauserRegistry,
        uint256 initialPausedStatus,
        uint256 _minWithdrawalDelayBlocks,
        IStrategy[] calldata _strategies,
        uint256[] calldata _withdrawalDelayBlocks
    ) external initializer {
        _initializePauser(_pauserRegistry, initialPausedStatus);
        _transferOwnership(initialOwner);
        _setMinWithdrawalDelayBlocks(_minWithdrawalDelayBlocks);
        if (!(_strategies.length == _withdrawalDelayBlocks.length)) revert InputArrayLengthMismatch();
        for (uint256 i = 0; i < _strategies.length; i++) {
            if (!(_withdrawalDelayBlocks[i] <= MAX_WITHDRAWAL_DELAY_BLOCKS)) revert WithdrawalDelayExceedsMax();
            emit StrategyWithdrawalDelayBlocksSet(_strategies[i], strategyWithdrawalDelayBlocks[_strategies[i]], _withdrawalDelayBlocks[i]);
            strategyWithdrawalDelayBlocks[_strategies[i]] = _withdrawalDelayBlocks[i];
        }
    }

    /// @notice Registers the caller as an operator delegated to itself, with `details` and a metadata URI.
    function registerAsOperator(OperatorDetails calldata registeringOperatorDetails, string calldata metadataURI) external {
        if (!(delegatedTo[msg.sender] == address(0))) revert ActivelyDelegated();
        _setOperatorDetails(msg.sender, registeringOperatorDetails);
        emit OperatorRegistered(msg.sender, registeringOperatorDetails);
        _delegate(msg.sender, msg.sender);
        emit OperatorMetadataURIUpdated(msg.sender, metadataURI);
    }

    /// @notice Replaces the caller's operator details (the opt-out window may only grow).
    function modifyOperatorDetails(OperatorDetails calldata newOperatorDetails) external {
        if (!(isOperator(msg.sender))) revert OperatorNotRegistered();
        _setOperatorDetails(msg.sender, newOperatorDetails);
    }

    /// @notice Emits the caller's metadata URI. Operators only.
    function updateOperatorMetadataURI(string calldata metadataURI) external {
        if (!(isOperator(msg.sender))) revert OperatorNotRegistered();
        emit OperatorMetadataURIUpdated(msg.sender, metadataURI);
    }

    /// @notice Delegation to an operator without a delegation approver (approver signatures are not modelled).
    function delegateTo(address operator, ISignatureUtils.SignatureWithExpiry memory, bytes32) external {
        if (!(isOperator(operator))) revert OperatorNotRegistered();
        if (!(_operatorDetails[operator].delegationApprover == address(0))) revert DelegationApproverNotSupported();
        _delegate(msg.sender, operator);
    }

    /// @notice Adds a deposit's shares to the staker's operator. StrategyManager only.
    function increaseDelegatedShares(address staker, IStrategy strategy, uint256 shares) external {
        if (!(msg.sender == address(strategyManager))) revert OnlyStrategyManagerOrEigenPodManager();
        address op = delegatedTo[staker];
        if (op != address(0)) {
            operatorShares[op][strategy] += shares;
            emit OperatorSharesIncreased(op, staker, strategy, shares);
        }
    }

    /// @notice Sets the minimum withdrawal delay (at most MAX_WITHDRAWAL_DELAY_BLOCKS). Owner only; emits MinWithdrawalDelayBlocksSet.
    function setMinWithdrawalDelayBlocks(uint256 newMinWithdrawalDelayBlocks) external onlyOwner {
        _setMinWithdrawalDelayBlocks(newMinWithdrawalDelayBlocks);
    }

    function _setMinWithdrawalDelayBlocks(uint256 v) internal {
        if (!(v <= MAX_WITHDRAWAL_DELAY_BLOCKS)) revert WithdrawalDelayExceedsMax();
        emit MinWithdrawalDelayBlocksSet(minWithdrawalDelayBlocks, v);
        minWithdrawalDelayBlocks = v;
    }

    function _setOperatorDetails(address operator, OperatorDetails calldata d) internal {
        if (!(d.earningsReceiver != address(0))) revert InputAddressZero();
        if (!(d.stakerOptOutWindowBlocks <= MAX_STAKER_OPT_OUT_WINDOW_BLOCKS)) revert StakerOptOutWindowBlocksExceedsMax();
        if (!(d.stakerOptOutWindowBlocks >= _operatorDetails[operator].stakerOptOutWindowBlocks)) revert StakerOptOutWindowBlocksCannotDecrease();
        _operatorDetails[operator] = d;
        emit OperatorDetailsModified(operator, d);
    }

    function _delegate(address staker, address operator) internal onlyWhenNotPaused(PAUSED_NEW_DELEGATION) {
        if (!(delegatedTo[staker] == address(0))) revert ActivelyDelegated();
        delegatedTo[staker] = operator;
        emit StakerDelegated(staker, operator);
        (IStrategy[] memory strategies, uint256[] memory shares) = strategyManager.getDeposits(staker);
        for (uint256 i = 0; i < strategies.length; i++) {
            operatorShares[operator][strategies[i]] += shares[i];
            emit OperatorSharesIncreased(operator, staker, strategies[i], shares[i]);
        }
    }

    /// @notice Whether `operator` registered as an operator.
    function isOperator(address operator) public view returns (bool) {
        return operator != address(0) && delegatedTo[operator] == operator;
    }

    /// @notice Whether `staker` is delegated.
    function isDelegated(address staker) external view returns (bool) {
        return delegatedTo[staker] != address(0);
    }

    /// @notice `operator`'s details.
    function operatorDetails(address operator) external view returns (OperatorDetails memory) {
        return _operatorDetails[operator];
    }

    /// @notice `operator`'s earnings receiver.
    function earningsReceiver(address operator) external view returns (address) {
        return _operatorDetails[operator].earningsReceiver;
    }

    /// @notice `operator`'s delegation approver (always zero here).
    function delegationApprover(address operator) external view returns (address) {
        return _operatorDetails[operator].delegationApprover;
    }

    /// @notice `operator`'s staker opt-out window (blocks).
    function stakerOptOutWindowBlocks(address operator) external view returns (uint256) {
        return _operatorDetails[operator].stakerOptOutWindowBlocks;
    }

    /// @notice `operator`'s delegated shares in each of `strategies`.
    function getOperatorShares(address operator, IStrategy[] memory strategies) external view returns (uint256[] memory shares) {
        shares = new uint256[](strategies.length);
        for (uint256 i = 0; i < strategies.length; i++) shares[i] = operatorShares[operator][strategies[i]];
    }
}
